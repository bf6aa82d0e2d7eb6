import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Pool, type PoolClient } from 'pg';
import { WHARF_CONFIG, type WharfConfig } from '@wharf/platform/config';
import { BrokerError, BrokerErrorCode } from '../osb/broker.errors';

/**
 * The brokers' bookkeeping (instance id → plan, parameters and what was made for it; binding id →
 * its role or credentials; async operation state) in the database wharf_broker of the services
 * cluster itself, next to what it describes: a backup of that cluster holds both. Two small tables
 * created here with plain SQL at boot (IF NOT EXISTS): they belong to the brokers alone, so they
 * stay out of the platform's TypeORM migrations, and a change to them is written as another
 * idempotent statement below.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS broker_instances (
  id text PRIMARY KEY,
  service_id text NOT NULL,
  plan_id text NOT NULL,
  parameters jsonb NOT NULL DEFAULT '{}',
  organization_guid text NOT NULL,
  space_guid text NOT NULL,
  context jsonb NOT NULL DEFAULT '{}',
  state text NOT NULL CHECK (state IN ('in progress', 'succeeded', 'failed')),
  operation text,
  description text,
  resource jsonb NOT NULL DEFAULT '{}',
  secrets text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS broker_bindings (
  id text PRIMARY KEY,
  instance_id text NOT NULL REFERENCES broker_instances (id),
  service_id text NOT NULL,
  plan_id text NOT NULL,
  parameters jsonb NOT NULL DEFAULT '{}',
  app_guid text,
  resource jsonb NOT NULL DEFAULT '{}',
  credentials text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS broker_bindings_instance_id ON broker_bindings (instance_id);
`;

/** How long a request waits for another request's work on the same instance before it gives up. */
const LOCK_WAIT = '20s';

@Injectable()
export class BrokerDatabase implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('BrokerDatabase');
  readonly pool: Pool;

  constructor(@Inject(WHARF_CONFIG) config: WharfConfig) {
    this.pool = new Pool({ connectionString: config.brokers.servicesPgUrl, max: 10 });
    // An idle client's connection dropping (cluster restart) must not crash the process.
    this.pool.on('error', (err) => this.logger.warn(`idle connection failed: ${err.message}`));
  }

  async onModuleInit(): Promise<void> {
    // Two processes booting at once would race on CREATE TABLE IF NOT EXISTS; serialise them.
    await this.withLock('schema', async (client) => {
      await client.query(SCHEMA);
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.end();
  }

  /**
   * Runs `fn` holding the session advisory lock of `key` (an instance id), so that two requests,
   * or a request and a background operation, never change one instance at once, whichever broker
   * process they reach. A wait longer than LOCK_WAIT is OSB's ConcurrencyError.
   */
  async withLock<T>(key: string, fn: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let locked = false;
    try {
      await client.query(`SET lock_timeout = '${LOCK_WAIT}'`);
      try {
        await client.query(`SELECT pg_advisory_lock(hashtextextended($1, 0))`, [
          `wharf-broker:${key}`,
        ]);
      } catch (err) {
        if ((err as { code?: string }).code === '55P03')
          throw new BrokerError(
            BrokerErrorCode.ConcurrencyError,
            'Another operation for this service instance is in progress.',
          );
        throw err;
      }
      locked = true;
      await client.query(`SET lock_timeout = 0`);
      return await fn(client);
    } finally {
      if (locked)
        await client
          .query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [`wharf-broker:${key}`])
          .catch(() => undefined);
      client.release();
    }
  }

  /** Like withLock, but answers null at once when someone else holds the lock. */
  async tryWithLock<T>(key: string, fn: () => Promise<T>): Promise<T | null> {
    const client = await this.pool.connect();
    try {
      const { rows } = await client.query<{ ok: boolean }>(
        `SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok`,
        [`wharf-broker:${key}`],
      );
      if (!rows[0]?.ok) return null;
      try {
        return await fn();
      } finally {
        await client
          .query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [`wharf-broker:${key}`])
          .catch(() => undefined);
      }
    } finally {
      client.release();
    }
  }
}
