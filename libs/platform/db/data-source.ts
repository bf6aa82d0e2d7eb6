import { DataSource, DataSourceOptions, MixedList, EntitySchema } from 'typeorm';
import { WharfConfig } from '@wharf/platform/config';
import { ALL_MIGRATIONS } from '../../../migrations';

type EntityList = MixedList<string | (new (...args: never[]) => unknown) | EntitySchema>;

/**
 * The one way every process reaches Postgres. The schema comes from migrations only; they run
 * through an explicit command, never at api/worker boot.
 */
export function dataSourceOptions(
  config: WharfConfig,
  entities: EntityList = [],
): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.databaseUrl,
    entities,
    migrations: ALL_MIGRATIONS,
    migrationsTableName: 'wharf_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    // A null or undefined in a where clause is a bug, never "match anything".
    invalidWhereValuesBehavior: { null: 'throw', undefined: 'throw' },
    extra: { max: 10, connectionTimeoutMillis: 5000 },
  };
}

export function createDataSource(config: WharfConfig, entities: EntityList = []): DataSource {
  return new DataSource(dataSourceOptions(config, entities));
}
