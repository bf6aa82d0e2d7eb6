import { RoutingModule } from '@wharf/routing';
import { EventsModule } from '@wharf/events';
import { DynamicModule, Module } from '@nestjs/common';
import { IdentityModule, SpaceContentsModule } from '@wharf/identity';
import { BlobstoreModule } from '@wharf/platform/blobstore';
import { LogStreamModule } from '@wharf/platform/logstream';
import { SecretsModule } from '@wharf/platform/secrets';
import { ConfigModule, WharfConfig } from '@wharf/platform/config';
import { DatabaseModule } from '@wharf/platform/db';
import { RedisModule } from '@wharf/platform/redis';
import { QueueModule } from '@wharf/platform/queue';
import { RuntimeModule } from '@wharf/platform/runtime';
import { CellsModule } from '@wharf/cells';
import { PackagesModule } from '@wharf/packages';
import { SchedulingModule } from '@wharf/scheduling';
import { ServicesModule } from '@wharf/services';

/** Operator commands (bootstrap, cells, built-in brokers) composed from the same modules as api and worker. */
@Module({})
export class AdminModule {
  static forRoot(config?: WharfConfig): DynamicModule {
    return {
      module: AdminModule,
      imports: [
        ConfigModule.forRoot(config),
        RedisModule,
        DatabaseModule,
        QueueModule,
        RuntimeModule,
        BlobstoreModule,
        SecretsModule,
        LogStreamModule,
        SpaceContentsModule,
        IdentityModule,
        EventsModule.forRoot(IdentityModule),
        CellsModule,
        PackagesModule,
        SchedulingModule,
        RoutingModule,
        ServicesModule,
      ],
    };
  }
}
