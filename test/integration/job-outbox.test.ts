import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { JOB_QUEUES } from '@wharf/contracts';
import type { WharfConfig } from '@wharf/platform/config';
import { createDataSource } from '@wharf/platform/db';
import {
  DELIVER_TIMEOUT_MS,
  JobBus,
  JobOutboxEntity,
  JobOutboxRelay,
  JobRecordEntity,
  OUTBOX_GRACE_MS,
  jobId,
} from '@wharf/platform/queue';
import { RedisConnections } from '@wharf/platform/redis';
import { createTestDatabase, TestDatabase } from '../support/test-database';

jest.setTimeout(60_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The job outbox against the real test PostgreSQL and Redis: a JobBus whose Redis is up, one
 * whose Redis refuses connections (a port nothing listens on), and relays on either.
 */
describe('job outbox', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let up: { bus: JobBus; redis: RedisConnections };
  let down: { bus: JobBus; redis: RedisConnections };
  let stageQueue: Queue;

  function bus(config: WharfConfig): { bus: JobBus; redis: RedisConnections } {
    const redis = new RedisConnections(config);
    return { bus: new JobBus(config, redis, dataSource), redis };
  }
  const outbox = () => dataSource.getRepository(JobOutboxEntity).find();
  const queued = (key: string) => stageQueue.getJob(jobId('build.stage', key));
  /** A build.stage row committed `ageMs` ago whose push never happened (its writer died). */
  const leftBehind = (key: string, ageMs: number, delayMs = 0) =>
    dataSource.query(
      `INSERT INTO job_outbox (id, name, key, payload, delay_ms, created_at)
       VALUES ($1, 'build.stage', $2, $3, $4, now() - make_interval(secs => $5))`,
      [randomUUID(), key, JSON.stringify({ buildGuid: key }), delayMs, ageMs / 1000],
    );

  beforeAll(async () => {
    Logger.overrideLogger(['error']);
    db = await createTestDatabase();
    dataSource = createDataSource(db.config, [JobOutboxEntity, JobRecordEntity]);
    await dataSource.initialize();
    up = bus(db.config);
    down = bus({ ...db.config, redisUrl: 'redis://127.0.0.1:1' });
    stageQueue = up.bus.queue(JOB_QUEUES['build.stage']);
  });
  afterEach(async () => {
    await dataSource.getRepository(JobOutboxEntity).clear();
  });
  afterAll(async () => {
    await stageQueue?.obliterate({ force: true });
    for (const b of [up, down]) {
      await b?.bus.beforeApplicationShutdown();
      await b?.redis.onApplicationShutdown();
    }
    await dataSource?.destroy();
    await db?.drop();
  });

  it('delivers a committed job at once and deletes its row', async () => {
    const key = randomUUID();
    const result = await up.bus.transaction(async (tx) => {
      await tx.enqueue('build.stage', { buildGuid: key }, { key });
      return 'committed';
    });
    expect(result).toBe('committed');
    const job = await queued(key);
    expect(job?.name).toBe('build.stage');
    expect(job?.data).toEqual({ buildGuid: key });
    expect(await outbox()).toEqual([]);
  });

  it('commits the change while the queue is down, and the relay delivers it once it is back', async () => {
    const key = randomUUID();
    const jobGuid = randomUUID();
    const started = Date.now();
    await down.bus.transaction(async (tx) => {
      await tx.manager.save(
        tx.manager.create(JobRecordEntity, {
          guid: jobGuid,
          operation: 'test.outbox',
          resourceType: 'build',
          resourceGuid: key,
          userGuid: null,
        }),
      );
      await tx.enqueue('build.stage', { buildGuid: key }, { key });
    });
    // Fail-fast: the caller waited for one bounded push, not for Redis to come back.
    expect(Date.now() - started).toBeLessThan(DELIVER_TIMEOUT_MS + 2000);
    expect(await dataSource.getRepository(JobRecordEntity).findOneBy({ guid: jobGuid })).not.toBe(
      null,
    );
    expect((await outbox()).map((r) => r.key)).toEqual([key]);
    expect(await queued(key)).toBeUndefined();

    // A relay whose queue is down keeps the row.
    await sleep(OUTBOX_GRACE_MS + 200);
    expect(await new JobOutboxRelay(down.bus, dataSource).relay()).toBe(0);
    expect((await outbox()).map((r) => r.key)).toEqual([key]);

    // With the queue reachable again, the relay pushes and deletes it.
    expect(await new JobOutboxRelay(up.bus, dataSource).relay()).toBe(1);
    expect((await queued(key))?.data).toEqual({ buildGuid: key });
    expect(await outbox()).toEqual([]);
  });

  it('leaves a row younger than the grace period to its writer', async () => {
    const key = randomUUID();
    await leftBehind(key, 0);
    expect(await new JobOutboxRelay(up.bus, dataSource).relay()).toBe(0);
    expect((await outbox()).map((r) => r.key)).toEqual([key]);
  });

  it('enqueues nothing for a transaction that rolls back', async () => {
    const key = randomUUID();
    await expect(
      up.bus.transaction(async (tx) => {
        await tx.enqueue('build.stage', { buildGuid: key }, { key });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await outbox()).toEqual([]);
    await sleep(OUTBOX_GRACE_MS + 200);
    expect(await new JobOutboxRelay(up.bus, dataSource).relay()).toBe(0);
    expect(await queued(key)).toBeUndefined();
  });

  it('hands each left-behind row to exactly one of two relays running at once', async () => {
    const keys = Array.from({ length: 30 }, () => randomUUID());
    for (const key of keys) await leftBehind(key, OUTBOX_GRACE_MS + 500);
    const counts = await Promise.all([
      new JobOutboxRelay(up.bus, dataSource).relay(),
      new JobOutboxRelay(up.bus, dataSource).relay(),
    ]);
    expect(counts[0] + counts[1]).toBe(keys.length);
    expect(await outbox()).toEqual([]);
    for (const key of keys) expect((await queued(key))?.data).toEqual({ buildGuid: key });
  });

  it('keeps what is left of a delay when the relay delivers late', async () => {
    const key = randomUUID();
    await leftBehind(key, 10_000, 60_000);
    expect(await new JobOutboxRelay(up.bus, dataSource).relay()).toBe(1);
    const job = await queued(key);
    expect(await job?.getState()).toBe('delayed');
    expect(job?.opts.delay).toBeGreaterThan(45_000);
    expect(job?.opts.delay).toBeLessThanOrEqual(50_000);
  });
});
