export * from './container-runtime.port';
export * from './runtime.errors';
export * from './runtime.module';
