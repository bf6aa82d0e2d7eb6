import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { JobWorkerHost } from './job-worker.host';

/** Imported only by apps/worker: consumes the queues. */
@Module({ imports: [DiscoveryModule], providers: [JobWorkerHost] })
export class QueueWorkerModule {}
