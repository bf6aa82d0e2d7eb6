import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppsModule } from '@wharf/apps';
import { CellsModule } from '@wharf/cells';
import { AppConverger } from './app-converger';
import { AppLock } from './app.lock';
import { CellConcurrency } from './cell-concurrency';
import { InstanceLifecycle } from './instance-lifecycle';
import { InstanceRepository } from './instance.repository';
import { InstancesQueryService } from './instances-query.service';
import { InstanceRestartAction } from './instance-restart.action';
import { ProcessStatsService } from './process-stats.service';
import { SCHEDULING_ENTITIES } from './scheduling.entities';
import { SpaceNetworks } from './space-networks';
import { TaskRunner } from './task-runner';

/**
 * Instances of processes on cells: their rows, stats and restarts, and convergence
 * (`AppConverger`, the work of `app.converge`), and tasks (`TaskRunner`, the work of
 * `task.converge`). Instances, their lifecycle, the app lock and space networks are
 * exported for `SchedulingWorkerModule`'s singletons only (index.ts does not name them).
 */
@Module({
  imports: [TypeOrmModule.forFeature(SCHEDULING_ENTITIES), AppsModule, CellsModule],
  providers: [
    InstanceRepository,
    ProcessStatsService,
    InstanceRestartAction,
    InstancesQueryService,
    AppLock,
    CellConcurrency,
    SpaceNetworks,
    InstanceLifecycle,
    AppConverger,
    TaskRunner,
  ],
  exports: [
    ProcessStatsService,
    InstanceRestartAction,
    InstancesQueryService,
    AppConverger,
    TaskRunner,
    InstanceRepository,
    InstanceLifecycle,
    AppLock,
    SpaceNetworks,
  ],
})
export class SchedulingModule {}
