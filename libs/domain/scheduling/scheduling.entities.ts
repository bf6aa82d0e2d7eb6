import { CellEntity } from './cell.entity';
import { InstanceEntity } from './instance.entity';

export const SCHEDULING_ENTITIES = [CellEntity, InstanceEntity];
