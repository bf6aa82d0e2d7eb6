import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CellRegisterAction } from './cell-register.action';
import { CellRepository } from './cell.repository';
import { CellsQueryService } from './cells-query.service';
import { CELLS_ENTITIES } from './cells.entities';

/**
 * Cells: the Docker hosts instances and staging run on, their registration (with the TLS material
 * of remote engines) and which one takes new work. Used by staging and scheduling alike.
 */
@Module({
  imports: [TypeOrmModule.forFeature(CELLS_ENTITIES)],
  providers: [CellRepository, CellRegisterAction, CellsQueryService],
  exports: [CellRegisterAction, CellsQueryService],
})
export class CellsModule {}
