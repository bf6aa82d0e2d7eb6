import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { AdvisoryLocks } from '@wharf/platform/db';
import { createTestDatabase, TestDatabase } from '../support/test-database';

jest.setTimeout(30_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * AdvisoryLocks against the real PostgreSQL: each instance stands for one process (a worker), with
 * its one lock session; `admin` is a plain connection to look at pg_stat_activity and pg_locks.
 */
describe('AdvisoryLocks', () => {
  let db: TestDatabase;
  let admin: Client;
  const made: AdvisoryLocks[] = [];
  let key: string;

  const locks = () => {
    const l = new AdvisoryLocks(db.config);
    made.push(l);
    return l;
  };
  /** Sessions of this database other than admin's, by what they are doing. */
  const sessions = async () =>
    (
      await admin.query<{ application_name: string; wait_event_type: string | null }>(
        `SELECT application_name, wait_event_type FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid()`,
      )
    ).rows;

  beforeAll(async () => {
    Logger.overrideLogger(['error']);
    db = await createTestDatabase({ migrate: false });
    admin = new Client({ connectionString: db.config.databaseUrl });
    await admin.connect();
  });
  beforeEach(() => {
    key = `it-lock-${randomBytes(4).toString('hex')}`;
  });
  afterEach(async () => {
    await Promise.all(made.splice(0).map((l) => l.onApplicationShutdown()));
  });
  afterAll(async () => {
    await admin.end();
    await db.drop();
  });

  it('runs the holders of one key one at a time, across processes and in order within one', async () => {
    const [a, b] = [locks(), locks()];
    const order: string[] = [];
    let inside = 0;
    let most = 0;
    const work = (l: AdvisoryLocks, name: string) =>
      l.withLock(key, async () => {
        inside++;
        most = Math.max(most, inside);
        order.push(name);
        await sleep(30);
        inside--;
      });
    await Promise.all([work(a, 'a1'), work(b, 'b1'), work(a, 'a2'), work(b, 'b2'), work(a, 'a3')]);
    expect(most).toBe(1);
    expect(order).toHaveLength(5);
    // Within one process, callers of a key take their turns in the order they asked.
    expect(order.filter((n) => n.startsWith('a'))).toEqual(['a1', 'a2', 'a3']);
    expect(order.filter((n) => n.startsWith('b'))).toEqual(['b1', 'b2']);
  });

  it('lets 50 callers wait for a key on one session per process, none of them blocked in PostgreSQL', async () => {
    const [a, b] = [locks(), locks()];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const holding = new Promise<void>((r) => (entered = r));
    const holder = a.withLock(key, async () => {
      entered();
      await held;
    });
    await holding;
    let ran = 0;
    const waiters = Array.from({ length: 50 }, (_, i) =>
      (i % 2 ? a : b).withLock(key, async () => {
        ran++;
        await Promise.resolve();
      }),
    );
    await sleep(300);
    expect(ran).toBe(0);
    const now = await sessions();
    expect(now.filter((s) => s.application_name === 'wharf-advisory-locks')).toHaveLength(2);
    // Nobody waits inside PostgreSQL for the lock: the waiters poll, they do not block.
    expect(now.filter((s) => s.wait_event_type === 'Lock')).toEqual([]);
    release();
    await Promise.all([holder, ...waiters]);
    expect(ran).toBe(50);
  });

  it('frees a key when the process holding it dies, and takes a broken session’s locks back', async () => {
    const [a, b] = [locks(), locks()];
    // A process that dies: its session ends, and PostgreSQL drops its locks.
    let dieNow!: () => void;
    const dies = new Promise<void>((r) => (dieNow = r));
    const dead = a.withLock(key, async () => {
      dieNow();
      await new Promise(() => undefined);
    });
    void dead;
    await dies;
    await a.onApplicationShutdown();
    await expect(b.withLock(key, () => Promise.resolve('got it'))).resolves.toBe('got it');

    // A session that breaks under a holder that lives on: the lock is taken back, so another
    // process still waits until the holder is done.
    const c = locks();
    let done!: () => void;
    const finish = new Promise<void>((r) => (done = r));
    let cIn!: () => void;
    const cHolding = new Promise<void>((r) => (cIn = r));
    const cWork = c.withLock(key, async () => {
      cIn();
      await finish;
    });
    await cHolding;
    const terminated = await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE datname = current_database() AND application_name = 'wharf-advisory-locks'
         AND pid IN (SELECT pid FROM pg_locks WHERE locktype = 'advisory')`,
    );
    expect(terminated.rowCount).toBe(1);
    await sleep(500);
    let bGot = false;
    const bWork = b.withLock(key, async () => {
      bGot = true;
      await Promise.resolve();
    });
    await sleep(500);
    expect(bGot).toBe(false);
    done();
    await Promise.all([cWork, bWork]);
    expect(bGot).toBe(true);
  });
});
