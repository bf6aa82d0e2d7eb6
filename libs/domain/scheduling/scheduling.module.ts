import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppsModule } from '@wharf/apps';
import { CellsModule } from '@wharf/cells';
import { InstanceRepository } from './instance.repository';
import { InstancesQueryService } from './instances-query.service';
import { InstanceRestartAction } from './instance-restart.action';
import { ProcessStatsService } from './process-stats.service';
import { SCHEDULING_ENTITIES } from './scheduling.entities';

/** Instances of processes on cells: their rows, stats and restarts. */
@Module({
  imports: [TypeOrmModule.forFeature(SCHEDULING_ENTITIES), AppsModule, CellsModule],
  providers: [
    InstanceRepository,
    ProcessStatsService,
    InstanceRestartAction,
    InstancesQueryService,
  ],
  exports: [ProcessStatsService, InstanceRestartAction, InstancesQueryService],
})
export class SchedulingModule {}
