import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';
import { dataSourceOptions } from './data-source';

/** Postgres for every Nest process; entities come from each context's forFeature(). */
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
})
export class DatabaseModule {}
