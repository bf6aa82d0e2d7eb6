import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CellRegisterAction } from './cell-register.action';
import { CellRepository } from './cell.repository';
import { SCHEDULING_ENTITIES } from './scheduling.entities';

/** Cells (Docker hosts) and, with the push issue, placement of instances on them. */
@Module({
  imports: [TypeOrmModule.forFeature(SCHEDULING_ENTITIES)],
  providers: [CellRepository, CellRegisterAction],
  exports: [CellRegisterAction],
})
export class SchedulingModule {}
