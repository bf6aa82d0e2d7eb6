export * from './change-signals';
export * from './redis-connections';
export * from './redis-options';
export * from './redis.module';
export type { default as Redis } from 'ioredis';
