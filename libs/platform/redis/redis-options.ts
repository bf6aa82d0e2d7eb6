import type { RedisOptions as BullmqRedisOptions } from 'bullmq';

/** Where a Redis is and how to log in: what both ioredis and BullMQ take. */
export interface RedisAddress {
  host: string;
  port: number;
  username: string | undefined;
  password: string | undefined;
  db: number;
  tls: object | undefined;
}

/** The address in a redis:// or rediss:// URL. */
export function redisOptions(url: string): RedisAddress {
  const u = new URL(url);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 6379,
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: Number.isFinite(db) ? db : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
  };
}

/** BullMQ connection options from a redis:// URL (workers need maxRetriesPerRequest: null). */
export function redisConnection(url: string): BullmqRedisOptions {
  return { ...redisOptions(url), maxRetriesPerRequest: null };
}
