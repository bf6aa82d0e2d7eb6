import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RedisConnections, type Redis } from '@wharf/platform/redis';
import { CONTAINER_RUNTIME, ContainerRuntime } from '@wharf/platform/runtime';

export interface DependencyHealth {
  status: 'up' | 'down';
  latency_ms: number;
  detail?: string;
}

export interface HealthReport {
  status: 'ok' | 'unavailable';
  checks: { postgres: DependencyHealth; redis: DependencyHealth; docker: DependencyHealth };
}

const TIMEOUT_MS = 2000;

@Injectable()
export class HealthService {
  private readonly redis: Redis;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CONTAINER_RUNTIME) private readonly runtime: ContainerRuntime,
    redis: RedisConnections,
  ) {
    // A connection of its own that never queues a command: with Redis down the probe fails at
    // once instead of waiting behind the shared client's reconnections.
    this.redis = redis.dedicated({
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      connectTimeout: TIMEOUT_MS,
      enableOfflineQueue: false,
    });
  }

  async check(): Promise<HealthReport> {
    const [postgres, redis, docker] = await Promise.all([
      probe(async () => {
        await this.db.query('SELECT 1');
      }),
      probe(async () => {
        if (this.redis.status === 'wait' || this.redis.status === 'end') await this.redis.connect();
        await this.redis.ping();
      }),
      probe(() => this.runtime.ping()),
    ]);
    const allUp = [postgres, redis, docker].every((c) => c.status === 'up');
    return { status: allUp ? 'ok' : 'unavailable', checks: { postgres, redis, docker } };
  }
}

async function probe(fn: () => Promise<unknown>): Promise<DependencyHealth> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)),
          TIMEOUT_MS,
        );
      }),
    ]);
    return { status: 'up', latency_ms: Date.now() - started };
  } catch (err) {
    return { status: 'down', latency_ms: Date.now() - started, detail: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}
