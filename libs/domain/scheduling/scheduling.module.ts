import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppsModule } from '@wharf/apps';
import { CellsQueryService } from './cells-query.service';
import { InstanceRepository } from './instance.repository';
import { InstancesQueryService } from './instances-query.service';
import { InstanceRestartAction } from './instance-restart.action';
import { ProcessStatsService } from './process-stats.service';
import { CellRegisterAction } from './cell-register.action';
import { CellRepository } from './cell.repository';
import { SCHEDULING_ENTITIES } from './scheduling.entities';

/** Cells (Docker hosts) and, with the push issue, placement of instances on them. */
@Module({
  imports: [TypeOrmModule.forFeature(SCHEDULING_ENTITIES), AppsModule],
  providers: [
    CellRepository,
    CellRegisterAction,
    CellsQueryService,
    InstanceRepository,
    ProcessStatsService,
    InstanceRestartAction,
    InstancesQueryService,
  ],
  exports: [
    CellRegisterAction,
    CellsQueryService,
    ProcessStatsService,
    InstanceRestartAction,
    InstancesQueryService,
  ],
})
export class SchedulingModule {}
