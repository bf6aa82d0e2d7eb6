import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';

/** How a waiter polls for a lock another process holds: 10 ms at first, doubling to 250 ms. */
const POLL = { firstMs: 10, maxMs: 250 } as const;

/**
 * Named locks shared by every process of the installation that never make anyone wait on the
 * database pool. Within the process, callers of one key queue in memory (one at a time, in
 * order); the one whose turn it is takes a PostgreSQL session advisory lock with
 * `pg_try_advisory_lock`, polled with backoff while another process holds it, on the one session
 * this class keeps apart from the pool. So a waiter holds no connection at all, and the holder
 * only that shared session, whatever the number of keys: the work inside uses the pool like any
 * other code. PostgreSQL drops the locks of a process that dies with its session.
 *
 * If the session itself breaks while locks are held, PostgreSQL has released them: the class
 * connects again and takes them back, and logs the ones another process got in between.
 */
@Injectable()
export class AdvisoryLocks implements OnApplicationShutdown {
  private readonly logger = new Logger('AdvisoryLocks');
  /** Keys this process holds now. */
  private readonly held = new Set<string>();
  /** Per key, the end of this process's queue for it. */
  private readonly queues = new Map<string, Promise<void>>();
  private session: Promise<Client> | null = null;
  private current: Client | null = null;
  private closed = false;

  constructor(@Inject(WHARF_CONFIG) private readonly config: WharfConfig) {}

  /** Runs `fn` holding `key`, after every earlier caller of this process for the same key. */
  async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(key);
    let done!: () => void;
    const turn = new Promise<void>((resolve) => (done = resolve));
    const tail = (previous ?? Promise.resolve()).then(() => turn);
    this.queues.set(key, tail);
    try {
      await previous;
      await this.acquire(key);
      try {
        return await fn();
      } finally {
        await this.release(key);
      }
    } finally {
      done();
      if (this.queues.get(key) === tail) this.queues.delete(key);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    const session = this.session;
    this.session = null;
    this.current = null;
    if (session) await (await session.catch(() => null))?.end().catch(() => undefined);
  }

  private async acquire(key: string): Promise<void> {
    let waitMs: number = POLL.firstMs;
    while (!(await this.tryLock(key))) {
      await new Promise((r) => setTimeout(r, waitMs * (0.5 + Math.random())));
      waitMs = Math.min(waitMs * 2, POLL.maxMs);
    }
    this.held.add(key);
  }

  private async tryLock(key: string): Promise<boolean> {
    const client = await this.client();
    const result = await client.query<{ ok: boolean }>(
      'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok',
      [key],
    );
    return result.rows[0]?.ok === true;
  }

  private async release(key: string): Promise<void> {
    this.held.delete(key);
    try {
      const client = await this.client();
      await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]);
    } catch (err) {
      // The session is gone, and the lock with it.
      this.logger.warn(`unlock of ${key}: ${(err as Error).message}`);
    }
  }

  private client(): Promise<Client> {
    if (this.closed) return Promise.reject(new Error('the advisory lock session is closed'));
    this.session ??= this.connect();
    return this.session;
  }

  private async connect(): Promise<Client> {
    const client = new Client({
      connectionString: this.config.databaseUrl,
      connectionTimeoutMillis: this.config.db.connectTimeoutMs,
      keepAlive: true,
      application_name: 'wharf-advisory-locks',
    });
    client.on('error', (err: Error) => this.lost(client, err.message));
    client.on('end', () => this.lost(client, 'the connection ended'));
    try {
      await client.connect();
    } catch (err) {
      this.session = null;
      throw err;
    }
    this.current = client;
    return client;
  }

  private lost(client: Client, why: string): void {
    if (this.current !== client || this.closed) return;
    this.current = null;
    this.session = null;
    const keys = [...this.held];
    if (keys.length === 0) return;
    this.logger.warn(`the lock session broke (${why}) while ${keys.length} lock(s) were held`);
    void (async () => {
      for (const key of keys) {
        if (!this.held.has(key)) continue;
        const ok = await this.tryLock(key).catch(() => false);
        if (!ok) this.logger.error(`lock ${key} could not be taken back after the session broke`);
        // Released meanwhile: not ours to keep.
        else if (!this.held.has(key)) await this.release(key);
      }
    })();
  }
}
