import 'reflect-metadata';
import { loadConfig } from '@wharf/platform/config';
import { createDataSource } from '@wharf/platform/db';
import { ALL_ENTITIES } from './all-entities';

/** For the TypeORM CLI (migration:generate): the same config loader as every process. */
export default createDataSource(loadConfig(), ALL_ENTITIES);
