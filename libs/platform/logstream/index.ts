export * from './log-store';
export * from './logstream.module';
export * from './log-batch.writer';
