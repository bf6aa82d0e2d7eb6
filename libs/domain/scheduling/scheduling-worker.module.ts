import { Module } from '@nestjs/common';
import { AppsModule } from '@wharf/apps';
import { CellsModule } from '@wharf/cells';
import { LeaseModule } from '@wharf/platform/lease';
import { CellEventWatcher } from './cell-event.watcher';
import { HealthMonitor } from './health.monitor';
import { LogForwarder } from './log-forwarder';
import { SchedulerLeader } from './scheduler-leader';
import { SchedulingModule } from './scheduling.module';

/**
 * Scheduling's singletons, composed by apps/worker (apps/worker/src/singletons.ts): the
 * `SchedulerLeader` and what it runs while it holds the lease (engine events, health checks, log
 * forwarding, the sweep).
 */
@Module({
  imports: [SchedulingModule, AppsModule, CellsModule, LeaseModule],
  providers: [HealthMonitor, CellEventWatcher, LogForwarder, SchedulerLeader],
})
export class SchedulingWorkerModule {}
