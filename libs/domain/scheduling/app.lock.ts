import { Injectable } from '@nestjs/common';
import { AdvisoryLocks } from '@wharf/platform/db';

/**
 * Serialises work on one app's instances across every worker process: the advisory lock
 * `app:<guid>` (`AdvisoryLocks`: queued in memory within the process, `pg_try_advisory_lock`
 * polled on a session of its own across processes), so neither a waiter nor the holder takes a
 * connection of the pool for it. Released when `fn` ends, or by PostgreSQL when the worker dies.
 */
@Injectable()
export class AppLock {
  constructor(private readonly locks: AdvisoryLocks) {}

  withLock<T>(appGuid: string, fn: () => Promise<T>): Promise<T> {
    return this.locks.withLock(`app:${appGuid}`, fn);
  }
}
