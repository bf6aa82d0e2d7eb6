export * from './scheduling.module';
export * from './scheduling.errors';
export * from './cell-register.action';
export type { CellEntity } from './cell.entity';
export { SCHEDULING_ENTITIES } from './scheduling.entities';
export * from './crash-backoff';
