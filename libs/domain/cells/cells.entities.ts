import { CellEntity } from './cell.entity';

export const CELLS_ENTITIES = [CellEntity];
