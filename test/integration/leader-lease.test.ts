import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { LeaderLease, type LeaseTimings } from '@wharf/platform/lease';
import { RedisConnections } from '@wharf/platform/redis';
import { testConfig } from '../support/test-env';
import { sleep, until } from '../support/wait';

jest.setTimeout(30_000);

/**
 * LeaderLease against the real test Redis: leases on one key stand for workers of one
 * installation, each lease on a connection of its own as each worker has.
 */
describe('LeaderLease', () => {
  const connections = new RedisConnections(testConfig());
  const redis = connections.client;
  const leases: LeaderLease[] = [];
  let key: string;

  /** A lease on this test's key, as a worker with its own connection holds it. */
  function lease(timings: LeaseTimings, connection = connections.dedicated()): LeaderLease {
    const l = new LeaderLease(connection, key, timings);
    leases.push(l);
    return l;
  }

  beforeAll(() => {
    Logger.overrideLogger(['error']);
  });
  beforeEach(() => {
    key = `wharf-it-lease-${randomBytes(4).toString('hex')}`;
  });
  afterEach(async () => {
    await Promise.all(leases.splice(0).map((l) => l.stop()));
    await redis.del(key, `${key}:fence`);
  });
  afterAll(() => connections.onApplicationShutdown());

  it('is held by one of two campaigners at a time', async () => {
    const a = lease({ ttlMs: 5000, renewMs: 1000 });
    const b = lease({ ttlMs: 5000, renewMs: 1000 });
    const [heldA, heldB] = await Promise.all([a.campaign(), b.campaign()]);
    expect([heldA, heldB].filter(Boolean)).toHaveLength(1);
    expect([a.isHeld(), b.isHeld()].filter(Boolean)).toHaveLength(1);
    const holder = heldA ? a : b;
    expect(await redis.get(key)).toBe(`${holder.holderId}#${holder.fencingToken}`);
    // Campaigning again changes nothing: the holder renews, the other is refused.
    expect(await a.campaign()).toBe(heldA);
    expect(await b.campaign()).toBe(heldB);
  });

  it('stays with a holder that renews, and goes to the other one a ttl after it stops', async () => {
    const timings = { ttlMs: 1000, renewMs: 200 };
    const crashing = connections.dedicated();
    const a = lease(timings, crashing);
    const b = lease(timings);
    const lost: string[] = [];
    let acquiredByB = 0;
    a.start({ lost: () => lost.push('a') });
    await until('a holds the lease', () => a.isHeld(), 2000);
    b.start({ acquired: () => (acquiredByB = Date.now()) });

    await sleep(2 * timings.ttlMs);
    expect(a.isHeld()).toBe(true);
    expect(b.isHeld()).toBe(false);
    expect(acquiredByB).toBe(0);

    // The holder's process dies: no renewal, no release.
    const died = Date.now();
    crashing.disconnect();
    await until('b takes the lease over', () => b.isHeld(), 3 * timings.ttlMs);
    // Not before the last renewal (at most renewMs before the death) expired, and within one
    // campaign of it.
    expect(acquiredByB - died).toBeGreaterThanOrEqual(timings.ttlMs - timings.renewMs - 50);
    expect(acquiredByB - died).toBeLessThanOrEqual(timings.ttlMs + 2 * timings.renewMs + 500);
    expect(a.isHeld()).toBe(false);
    expect(lost).toEqual(['a']);
  });

  it('lets a holder whose lease was taken neither renew nor release the new holder’s', async () => {
    const timings = { ttlMs: 400, renewMs: 100 };
    const stale = lease(timings);
    const current = lease(timings);
    expect(await stale.acquire()).toBe(true);
    // The holder pauses (a blocked event loop, a long GC) past its ttl, and the lease is taken.
    await sleep(timings.ttlMs + 50);
    expect(await current.acquire()).toBe(true);
    const taken = await redis.get(key);
    expect(taken).toBe(`${current.holderId}#${current.fencingToken}`);
    await sleep(100);
    const left = await redis.pttl(key);

    // A GET then PEXPIRE would find the key and extend the new holder's lease instead.
    expect(await stale.renew()).toBe(false);
    expect(stale.isHeld()).toBe(false);
    expect(await redis.pttl(key)).toBeLessThanOrEqual(left);
    expect(await stale.release()).toBe(false);
    expect(await redis.get(key)).toBe(taken);
    expect(current.isHeld()).toBe(true);
    expect(await current.renew()).toBe(true);
    expect(await redis.pttl(key)).toBeGreaterThan(left);
  });

  it('gives each new holder a greater fencing number', async () => {
    const timings = { ttlMs: 300, renewMs: 100 };
    const a = lease(timings);
    const b = lease(timings);
    const fences: number[] = [];
    const take = async (l: LeaderLease) => {
      expect(await l.acquire()).toBe(true);
      fences.push(l.fencingToken ?? NaN);
    };
    await take(a);
    expect(await a.release()).toBe(true);
    await take(b);
    // b stops renewing: its lease expires and a takes over.
    await sleep(timings.ttlMs + 50);
    expect(b.isHeld()).toBe(false);
    await take(a);
    expect(await b.renew()).toBe(false);
    expect(await a.release()).toBe(true);
    // The same holder taking it again is a new holding too.
    await take(a);

    expect(fences).toHaveLength(4);
    for (let i = 1; i < fences.length; i++) expect(fences[i]).toBeGreaterThan(fences[i - 1]!);
    expect(Number(await redis.get(`${key}:fence`))).toBe(fences[3]);
    expect(await redis.get(key)).toBe(`${a.holderId}#${fences[3]}`);
  });

  it('is not held once its ttl passed unrenewed, whatever Redis would answer', async () => {
    const a = lease({ ttlMs: 300, renewMs: 100 });
    expect(await a.acquire()).toBe(true);
    expect(a.fencingToken).not.toBeNull();
    await sleep(350);
    expect(a.isHeld()).toBe(false);
    expect(a.fencingToken).toBeNull();
  });

  it('names the holder’s host and process, and refuses a renewal slower than its ttl', () => {
    const a = lease({ ttlMs: 1000, renewMs: 200 }, redis);
    const b = lease({ ttlMs: 1000, renewMs: 200 }, redis);
    expect(a.holderId).toMatch(new RegExp(`^[^:]+:${process.pid}:[0-9a-f]{8}$`));
    expect(b.holderId).not.toBe(a.holderId);
    expect(() => new LeaderLease(redis, key, { ttlMs: 1000, renewMs: 1000 })).toThrow(
      /renewMs \(1000\) must be positive and below ttlMs \(1000\)/,
    );
  });
});
