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
    // Size and wait from the configuration (docs/architecture.md#leases-and-locks): nothing
    // holds one of these connections while it waits for another, so a full pool only queues.
    extra: { max: config.db.poolSize, connectionTimeoutMillis: config.db.connectTimeoutMs },
  };
}

export function createDataSource(config: WharfConfig, entities: EntityList = []): DataSource {
  return new DataSource(dataSourceOptions(config, entities));
}
