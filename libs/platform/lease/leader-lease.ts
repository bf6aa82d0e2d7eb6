import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Logger } from '@nestjs/common';
import type { Redis } from '@wharf/platform/redis';

/** How long a lease lasts unrenewed, and how often its holder renews it. */
export interface LeaseTimings {
  ttlMs: number;
  renewMs: number;
}

export interface LeaseEvents {
  /** This holder got the lease, with a fencing number greater than every earlier holder's. */
  acquired?: (fencingToken: number) => void;
  /** This holder no longer has the lease (taken, expired, Redis unreachable, or stopped). */
  lost?: () => void;
}

/**
 * Takes the lease when nobody holds it, or when it still holds this holder's own earlier token
 * (nobody else can have held it since, as tokens are never reused): the companion key's INCR gives
 * the new holding its fencing number. Returns the number, or nil when another holder has it.
 */
const ACQUIRE = `local current = redis.call('get', KEYS[1])
if current and current ~= ARGV[3] then return nil end
local fence = redis.call('incr', KEYS[2])
redis.call('set', KEYS[1], ARGV[1] .. '#' .. fence, 'PX', ARGV[2])
return fence`;

/** Extends the lease only while it holds this holder's token. */
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

/** Deletes the lease only while it holds this holder's token. */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * A lease in Redis that at most one holder has at a time: the guard of every singleton. The key
 * holds the holder's token (`host:pid:random#fence`); renewing and releasing compare it and act in
 * one script, so a holder whose lease expired and was taken can neither extend nor delete the new
 * holder's. Each holding gets a fencing number from a companion counter (`<key>:fence`) that only
 * grows, so whatever the holder writes can be refused when a later holder has written.
 *
 * `start()` campaigns: it tries to acquire now and every `renewMs`, and renews while it holds. A
 * holder that stops renewing loses the lease `ttlMs` later, and another campaigner takes it over
 * within one `renewMs` of that. An unanswered renewal counts as lost: without Redis nobody can be
 * sure to hold the lease, and stopping is safer than two holders.
 */
export class LeaderLease {
  /** Names the process (host and pid) and this lease within it. */
  readonly holderId: string;
  private readonly logger: Logger;
  private readonly fenceKey: string;
  private token: string | null = null;
  private fence: number | null = null;
  /** The last token this holder set: after a lost renewal it may still be the key's value. */
  private lastToken = '';
  /** Until when the lease is certainly ours: the last acquire or renew's send time plus ttl. */
  private validUntil = 0;
  private timer: NodeJS.Timeout | null = null;
  private campaigning: Promise<boolean> | null = null;
  private events: LeaseEvents = {};

  constructor(
    private readonly redis: Redis,
    readonly key: string,
    readonly timings: LeaseTimings,
  ) {
    if (!(timings.renewMs > 0 && timings.ttlMs > timings.renewMs))
      throw new Error(
        `lease ${key}: renewMs (${timings.renewMs}) must be positive and below ttlMs (${timings.ttlMs})`,
      );
    this.fenceKey = `${key}:fence`;
    this.holderId = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
    this.logger = new Logger(`Lease ${key}`);
  }

  /** Whether this holder has the lease now, by the last answer from Redis and the clock. */
  isHeld(): boolean {
    return this.token !== null && Date.now() < this.validUntil;
  }

  /** The current holding's fencing number; null while the lease is not held. */
  get fencingToken(): number | null {
    return this.isHeld() ? this.fence : null;
  }

  /** Campaigns for the lease until stop(): now, then every renewMs. */
  start(events: LeaseEvents = {}): void {
    if (this.timer) return;
    this.events = events;
    void this.campaign();
    this.timer = setInterval(() => void this.campaign(), this.timings.renewMs);
  }

  /** Stops campaigning; when held, reports the loss first and then releases the lease. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.campaigning;
    await this.release().catch((err: unknown) =>
      this.logger.warn(`release: ${(err as Error).message}`),
    );
    this.events = {};
  }

  /**
   * One campaign step: renews the lease when held, else tries to acquire it. Returns whether it
   * is held afterwards. Steps never overlap: a call during one waits for it.
   */
  campaign(): Promise<boolean> {
    this.campaigning ??= this.step().finally(() => (this.campaigning = null));
    return this.campaigning;
  }

  /** Takes the lease if nobody holds it; true when this holder has it afterwards. */
  async acquire(): Promise<boolean> {
    if (this.token) return this.renew();
    const sent = Date.now();
    const fence = (await this.redis.eval(
      ACQUIRE,
      2,
      this.key,
      this.fenceKey,
      this.holderId,
      String(this.timings.ttlMs),
      this.lastToken,
    )) as number | null;
    if (fence === null) return false;
    this.fence = fence;
    this.token = this.lastToken = `${this.holderId}#${fence}`;
    this.validUntil = sent + this.timings.ttlMs;
    this.events.acquired?.(fence);
    return true;
  }

  /** Extends the lease by ttl if this holder still has it; otherwise it is lost. */
  async renew(): Promise<boolean> {
    const token = this.token;
    if (!token) return false;
    const sent = Date.now();
    let renewed: boolean;
    try {
      renewed =
        (await this.redis.eval(RENEW, 1, this.key, token, String(this.timings.ttlMs))) === 1;
    } catch (err) {
      this.lose();
      throw err;
    }
    if (!renewed) {
      this.lose();
      return false;
    }
    this.validUntil = sent + this.timings.ttlMs;
    return true;
  }

  /** Gives the lease up (reporting the loss first) if this holder's token is still on it. */
  async release(): Promise<boolean> {
    const token = this.token ?? this.lastToken;
    this.lose();
    if (!token) return false;
    this.lastToken = '';
    return (await this.redis.eval(RELEASE, 1, this.key, token)) === 1;
  }

  private async step(): Promise<boolean> {
    const holding = this.token !== null;
    try {
      if (holding) await this.renew();
      else await this.acquire();
    } catch (err) {
      this.logger.warn(`${holding ? 'renew' : 'acquire'}: ${(err as Error).message}`);
    }
    return this.isHeld();
  }

  private lose(): void {
    if (!this.token) return;
    this.token = null;
    this.fence = null;
    this.validUntil = 0;
    this.events.lost?.();
  }
}
