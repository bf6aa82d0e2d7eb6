import { DynamicModule, Module } from '@nestjs/common';
import { EventsModule } from '@wharf/events';
import { IdentityModule, SpaceContentsModule } from '@wharf/identity';
import { PackagesModule } from '@wharf/packages';
import { BlobstoreModule } from '@wharf/platform/blobstore';
import { ConfigModule, WharfConfig } from '@wharf/platform/config';
import { DatabaseModule } from '@wharf/platform/db';
import { LogStreamModule } from '@wharf/platform/logstream';
import { QueueModule } from '@wharf/platform/queue';
import { RedisModule } from '@wharf/platform/redis';
import { RuntimeModule } from '@wharf/platform/runtime';
import { SecretsModule } from '@wharf/platform/secrets';
import { JOB_MODULES } from './jobs';
import { SINGLETON_MODULES } from './singletons';

/** The worker process: every job's handler (./jobs.ts) and the singletons (./singletons.ts). */
@Module({})
export class WorkerModule {
  static forRoot(config?: WharfConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        RedisModule,
        DatabaseModule,
        QueueModule,
        BlobstoreModule,
        LogStreamModule,
        SecretsModule,
        RuntimeModule,
        SpaceContentsModule,
        EventsModule.forRoot(IdentityModule),
        // Fills apps' APP_PACKAGES port: an app's deletion purges its packages.
        PackagesModule,
        ...JOB_MODULES,
        ...SINGLETON_MODULES,
      ],
    };
  }
}
