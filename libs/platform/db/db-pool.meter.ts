import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import type { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';

/** How often the figures are logged (when the pool was used at all). */
const REPORT_MS = 60_000;
/** A wait this long (or a timeout) makes the report a warning. */
const SLOW_MS = 1000;

export interface DbPoolFigures {
  size: number;
  checkouts: number;
  timeouts: number;
  waitP50Ms: number;
  waitP99Ms: number;
  waitMaxMs: number;
}

type ConnectCallback = (
  err: Error | undefined,
  client: PoolClient | undefined,
  done: () => void,
) => void;

/**
 * Measures how long the process waits for a connection of its PostgreSQL pool (the time from
 * asking the pool to getting a connection, which is where a starved pool shows), and logs it
 * every minute: checkouts, p50, p99, the longest wait and the checkouts that timed out
 * (`WHARF_DB_CONNECT_TIMEOUT`). It wraps the pool's `connect`, the one call TypeORM takes
 * connections with.
 */
@Injectable()
export class DbPoolMeter implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DbPool');
  private waits: number[] = [];
  private checkouts = 0;
  private timeouts = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
  ) {}

  onApplicationBootstrap(): void {
    const pool = (this.dataSource.driver as unknown as { master?: Pool }).master;
    if (!pool) return;
    const connect = pool.connect.bind(pool) as (cb: ConnectCallback) => void;
    const measured = (cb: ConnectCallback): void => {
      const started = performance.now();
      connect((err, client, done) => {
        this.record(performance.now() - started, err);
        cb(err, client, done);
      });
    };
    pool.connect = ((cb?: ConnectCallback) => {
      if (cb) return measured(cb);
      return new Promise<PoolClient>((resolve, reject) =>
        measured((err, client) =>
          client ? resolve(client) : reject(err ?? new Error('no connection from the pool')),
        ),
      );
    }) as Pool['connect'];
    this.timer = setInterval(() => this.report(), REPORT_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** The figures since the last report. */
  figures(): DbPoolFigures {
    const sorted = [...this.waits].sort((a, b) => a - b);
    const at = (q: number) =>
      sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    return {
      size: this.config.db.poolSize,
      checkouts: this.checkouts,
      timeouts: this.timeouts,
      waitP50Ms: Math.round(at(0.5)),
      waitP99Ms: Math.round(at(0.99)),
      waitMaxMs: Math.round(sorted[sorted.length - 1] ?? 0),
    };
  }

  private record(waitedMs: number, err: Error | undefined): void {
    this.checkouts++;
    if (err && /timeout/i.test(err.message)) this.timeouts++;
    if (this.waits.length < 100_000) this.waits.push(waitedMs);
  }

  private report(): void {
    if (this.checkouts === 0) return;
    const f = this.figures();
    const line =
      `pool of ${f.size}: ${f.checkouts} checkouts in ${REPORT_MS / 1000} s, wait p50 ${f.waitP50Ms} ms, ` +
      `p99 ${f.waitP99Ms} ms, max ${f.waitMaxMs} ms, ${f.timeouts} timed out`;
    if (f.timeouts > 0 || f.waitMaxMs >= SLOW_MS) this.logger.warn(line);
    else this.logger.log(line);
    this.waits = [];
    this.checkouts = 0;
    this.timeouts = 0;
  }
}
