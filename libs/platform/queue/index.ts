export * from './job-bus';
export * from './job-handler.decorator';
export * from './job-record.entity';
export * from './job-record.repository';
export * from './job-worker.host';
export * from './queue.module';
export * from './queue-worker.module';
export * from './user-job.launcher';
