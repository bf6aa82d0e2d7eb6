import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppsModule } from '@wharf/apps';
import { CellsModule } from '@wharf/cells';
import { LeaseModule } from '@wharf/platform/lease';
import { AppConvergeProcessor } from './app-converge.processor';
import { AppConverger } from './app-converger';
import { AppLock } from './app.lock';
import { CellEventWatcher } from './cell-event.watcher';
import { HealthMonitor } from './health.monitor';
import { InstanceRepository } from './instance.repository';
import { InstanceLifecycle } from './instance-lifecycle';
import { LogForwarder } from './log-forwarder';
import { SchedulerLeader } from './scheduler-leader';
import { SpaceNetworks } from './space-networks';
import { SCHEDULING_ENTITIES } from './scheduling.entities';

/** Convergence, crash detection, health checks and log forwarding; imported only by apps/worker. */
@Module({
  imports: [TypeOrmModule.forFeature(SCHEDULING_ENTITIES), AppsModule, CellsModule, LeaseModule],
  providers: [
    InstanceRepository,
    AppLock,
    InstanceLifecycle,
    AppConverger,
    AppConvergeProcessor,
    HealthMonitor,
    CellEventWatcher,
    LogForwarder,
    SchedulerLeader,
    SpaceNetworks,
  ],
})
export class SchedulingWorkerModule {}
