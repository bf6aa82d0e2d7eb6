import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { RedisOptions as BullmqRedisOptions } from 'bullmq';
import Redis, { type RedisOptions } from 'ioredis';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';
import { redisConnection, redisOptions } from './redis-options';

/** Commands fail after two reconnection attempts: callers get an answer, not a wait. */
const COMMAND_DEFAULTS: RedisOptions = { maxRetriesPerRequest: 2, connectTimeout: 2000 };

/**
 * Every Redis connection of a process, from the one configuration: a shared client for ordinary
 * commands, connections of their own where a command would hold one up (blocking reads, a probe
 * that must fail fast), and the options BullMQ opens its own connections with. All of them are
 * closed when the process shuts down, after every other module's shutdown (this module is global,
 * and Nest shuts global modules down last), so a lease can still be released then.
 */
@Injectable()
export class RedisConnections implements OnApplicationShutdown {
  private shared: Redis | null = null;
  private readonly opened = new Set<Redis>();
  private closed = false;

  constructor(@Inject(WHARF_CONFIG) private readonly config: WharfConfig) {}

  /** The process's client for ordinary commands; it connects on first use. */
  get client(): Redis {
    this.shared ??= this.dedicated({ lazyConnect: true });
    return this.shared;
  }

  /**
   * A connection of its own, for what must not share the client's: blocking commands,
   * subscriptions, or a probe that must fail at once instead of queueing while Redis is away.
   */
  dedicated(options: RedisOptions = {}): Redis {
    // Work still finishing during shutdown must not open a connection nobody closes.
    if (this.closed) throw new Error('Redis connections are closed: the process is shutting down');
    const redis = new Redis({
      ...redisOptions(this.config.redisUrl),
      ...COMMAND_DEFAULTS,
      ...options,
    });
    redis.on('error', () => undefined); // surfaced to the caller of the command that failed
    this.opened.add(redis);
    return redis;
  }

  /** Connection options for a BullMQ queue or worker, which opens connections of its own. */
  bullmq(overrides: BullmqRedisOptions = {}): BullmqRedisOptions {
    return { ...redisConnection(this.config.redisUrl), ...overrides };
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    const all = [...this.opened];
    this.opened.clear();
    this.shared = null;
    await Promise.all(
      all.map(async (redis) => {
        // Never connected (lazy) or already closed: nothing to say goodbye to (and disconnecting
        // a closed connection again would leave a timer behind).
        if (redis.status === 'end') return;
        if (redis.status === 'wait') return redis.disconnect();
        await redis.quit().catch(() => {
          if (redis.status !== 'end') redis.disconnect();
        });
      }),
    );
  }
}
