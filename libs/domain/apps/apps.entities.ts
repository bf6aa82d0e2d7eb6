import { AppEntity } from './app.entity';
import { PackageEntity } from './package.entity';

export const APPS_ENTITIES = [AppEntity, PackageEntity];
