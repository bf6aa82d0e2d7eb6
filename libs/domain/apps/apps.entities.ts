import { AppEntity } from './app.entity';
import { ProcessEntity } from './process.entity';

export const APPS_ENTITIES = [AppEntity, ProcessEntity];
