import { BuildEntity } from './build.entity';
import { DropletEntity } from './droplet.entity';

export const STAGING_ENTITIES = [BuildEntity, DropletEntity];
