import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';
import { AdvisoryLocks } from './advisory-locks';
import { dataSourceOptions } from './data-source';
import { DbPoolMeter } from './db-pool.meter';

/**
 * Postgres for every Nest process; entities come from each context's forFeature(). Also the
 * process's advisory locks (their own session) and the pool's wait meter.
 * Global, like the data source it wraps.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [WHARF_CONFIG],
      useFactory: (config: WharfConfig) => ({
        ...dataSourceOptions(config),
        autoLoadEntities: true,
        retryAttempts: 3,
        retryDelay: 1000,
      }),
    }),
  ],
  providers: [DbPoolMeter, AdvisoryLocks],
  exports: [AdvisoryLocks],
})
export class DatabaseModule {}
