import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * Serialises work on one app's instances across every worker process: a PostgreSQL session
 * advisory lock, held on a connection of its own for the duration of `fn`. Released when `fn`
 * ends, or by PostgreSQL when the worker dies.
 */
@Injectable()
export class AppLock {
  constructor(private readonly dataSource: DataSource) {}

  async withLock<T>(appGuid: string, fn: () => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query(`SELECT pg_advisory_lock(hashtextextended($1, 0))`, [`app:${appGuid}`]);
      try {
        return await fn();
      } finally {
        await runner.query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [
          `app:${appGuid}`,
        ]);
      }
    } finally {
      await runner.release();
    }
  }
}
