import { Inject, Injectable, Logger } from '@nestjs/common';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';
import { RedisConnections } from '@wharf/platform/redis';

/** Consecutive wrong passwords one user may send before logins for that user pause. */
export const FAILURES_PER_USER = 10;
/** Wrong passwords one client address may send in a window, whoever it tries. */
export const FAILURES_PER_ADDRESS = 50;

export class LoginThrottledError extends Error {
  constructor(
    readonly retryAfterSeconds: number,
    what: string,
  ) {
    super(`Too many failed logins for ${what}; try again in ${retryAfterSeconds} s.`);
    this.name = 'LoginThrottledError';
  }
}

/**
 * Brute-force protection for the password grant, in Redis so every API process counts together:
 * wrong passwords are counted per user (reset by a successful login) and per client address;
 * past either limit, logins are refused (even with the right password) until the block expires.
 * Without Redis it lets logins through (and logs why): a queue outage must not lock everyone out.
 */
@Injectable()
export class LoginThrottle {
  private readonly logger = new Logger('LoginThrottle');
  private readonly perUser: RateLimiterRedis;
  private readonly perAddress: RateLimiterRedis;

  constructor(@Inject(WHARF_CONFIG) config: WharfConfig, redis: RedisConnections) {
    const keyPrefix = `${config.queuePrefix}:login-failures`;
    this.perUser = new RateLimiterRedis({
      storeClient: redis.client,
      keyPrefix: `${keyPrefix}:user`,
      points: FAILURES_PER_USER,
      duration: 5 * 60,
      blockDuration: 5 * 60,
    });
    this.perAddress = new RateLimiterRedis({
      storeClient: redis.client,
      keyPrefix: `${keyPrefix}:address`,
      points: FAILURES_PER_ADDRESS,
      duration: 5 * 60,
      blockDuration: 5 * 60,
    });
  }

  /** Throws LoginThrottledError while the user or the address is blocked. */
  async check(username: string, address: string): Promise<void> {
    const [user, addr] = await this.guarded(() =>
      Promise.all([this.perUser.get(username.toLowerCase()), this.perAddress.get(address)]),
    ).then((r) => r ?? [null, null]);
    if (user && user.remainingPoints <= 0)
      throw new LoginThrottledError(seconds(user), `user ${username}`);
    if (addr && addr.remainingPoints <= 0)
      throw new LoginThrottledError(seconds(addr), `address ${address}`);
  }

  async failed(username: string, address: string): Promise<void> {
    // Past the limit `consume` rejects with the limiter's state and starts the block: expected.
    const count = (limiter: RateLimiterRedis, key: string) =>
      limiter.consume(key).catch((e: unknown) => {
        if (!(e instanceof RateLimiterRes)) throw e;
      });
    await this.guarded(() =>
      Promise.all([count(this.perUser, username.toLowerCase()), count(this.perAddress, address)]),
    );
  }

  async succeeded(username: string): Promise<void> {
    await this.guarded(() => this.perUser.delete(username.toLowerCase()));
  }

  private async guarded<T>(fn: () => Promise<T>): Promise<T | null> {
    try {
      return await fn();
    } catch (err) {
      this.logger.warn(`login throttling skipped: ${(err as Error).message}`);
      return null;
    }
  }
}

const seconds = (res: RateLimiterRes): number => Math.max(1, Math.ceil(res.msBeforeNext / 1000));
