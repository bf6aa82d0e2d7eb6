import { InstanceEntity } from './instance.entity';

export const SCHEDULING_ENTITIES = [InstanceEntity];
