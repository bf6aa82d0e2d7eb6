import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { JobOutboxRelay } from './job-outbox.relay';
import { JobWorkerHost } from './job-worker.host';

/** Imported only by apps/worker: consumes the queues and relays the job outbox. */
@Module({ imports: [DiscoveryModule], providers: [JobWorkerHost, JobOutboxRelay] })
export class QueueWorkerModule {}
