export * from './cells.module';
export * from './cells.errors';
export * from './cell-register.action';
export type { CellEntity } from './cell.entity';
export { CELLS_ENTITIES } from './cells.entities';
export * from './cells-query.service';
