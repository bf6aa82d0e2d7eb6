import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppsModule } from '@wharf/apps';
import { LeaseModule } from '@wharf/platform/lease';
import { AppConvergeProcessor } from './app-converge.processor';
import { AppConverger } from './app-converger';
import { AppLock } from './app.lock';
import { CellEventWatcher } from './cell-event.watcher';
import { CellRepository } from './cell.repository';
import { CellsQueryService } from './cells-query.service';
import { HealthMonitor } from './health.monitor';
import { InstanceRepository } from './instance.repository';
import { InstanceLifecycle } from './instance-lifecycle';
import { LogForwarder } from './log-forwarder';
import { SchedulerLeader } from './scheduler-leader';
import { SpaceNetworks } from './space-networks';
import { SCHEDULING_ENTITIES } from './scheduling.entities';

/** Convergence, crash detection, health checks and log forwarding; imported only by apps/worker. */
@Module({
  imports: [TypeOrmModule.forFeature(SCHEDULING_ENTITIES), AppsModule, LeaseModule],
  providers: [
    CellRepository,
    CellsQueryService,
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
