export * from './log-store';
export * from './logstream.module';
