import { RoutingWorkerModule } from '@wharf/routing';
import { ServicesWorkerModule } from '@wharf/services';
import { SecretsModule } from '@wharf/platform/secrets';
import { EventsModule } from '@wharf/events';
import { DynamicModule, Module } from '@nestjs/common';
import { AppsJobsModule } from './apps/apps-jobs.module';
import { PackagesModule } from '@wharf/packages';
import { IdentityModule, IdentityWorkerModule, SpaceContentsModule } from '@wharf/identity';
import { BlobstoreModule } from '@wharf/platform/blobstore';
import { LogStreamModule } from '@wharf/platform/logstream';
import { RuntimeModule } from '@wharf/platform/runtime';
import { SchedulingWorkerModule } from '@wharf/scheduling';
import { StagingWorkerModule } from '@wharf/staging';
import { ConfigModule, WharfConfig } from '@wharf/platform/config';
import { DatabaseModule } from '@wharf/platform/db';
import { RedisModule } from '@wharf/platform/redis';
import { QueueModule, QueueWorkerModule } from '@wharf/platform/queue';

/** The worker process: every context's job processors behind one BullMQ host. */
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
        QueueWorkerModule,
        SpaceContentsModule,
        EventsModule.forRoot(IdentityModule),
        IdentityWorkerModule,
        AppsJobsModule,
        PackagesModule,
        StagingWorkerModule,
        SchedulingWorkerModule,
        RoutingWorkerModule,
        ServicesWorkerModule,
      ],
    };
  }
}
