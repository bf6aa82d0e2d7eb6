import { CellEntity } from './cell.entity';

export const SCHEDULING_ENTITIES = [CellEntity];
