import { AppEntity } from './app.entity';

export const APPS_ENTITIES = [AppEntity];
