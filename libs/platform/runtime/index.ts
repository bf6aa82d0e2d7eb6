export * from './container-runtime.port';
export * from './container-runtime.factory';
export * from './runtime.errors';
export * from './runtime.module';
export * from './docker-endpoint.policy';
