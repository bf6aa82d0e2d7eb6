import { AppEntity } from './app.entity';
import { PackageEntity } from './package.entity';
import { ProcessEntity } from './process.entity';

export const APPS_ENTITIES = [AppEntity, PackageEntity, ProcessEntity];
