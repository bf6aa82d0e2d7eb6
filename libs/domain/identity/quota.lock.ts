import { Injectable } from '@nestjs/common';
import { DataSource, QueryRunner } from 'typeorm';
import { SpaceRepository } from './space.repository';

const POLL_MS = 25;
const WAIT_MS = 30_000;

/**
 * Serialises the changes that count against one organization's quotas (its own and its spaces'),
 * from the quota check to the save, across every API process: a PostgreSQL session advisory lock
 * per organization. Without it two starts could each count the usage before the other saved and
 * both pass. A waiting request holds no pool connection between its tries, so waiters can never
 * take every connection from the one holding the lock.
 */
@Injectable()
export class QuotaLock {
  constructor(
    private readonly dataSource: DataSource,
    private readonly spaces: SpaceRepository,
  ) {}

  async inSpace<T>(spaceGuid: string, fn: () => Promise<T>): Promise<T> {
    const space = await this.spaces.findByGuidUnscoped(spaceGuid);
    // An unknown space: the change's own lookups answer its 404/422.
    if (!space) return fn();
    return this.inOrganization(space.organizationGuid, fn);
  }

  /** For callers that already hold the space (and so its organization). */
  async inOrganization<T>(organizationGuid: string, fn: () => Promise<T>): Promise<T> {
    const key = `quota:${organizationGuid}`;
    const runner = await this.acquire(key);
    try {
      return await fn();
    } finally {
      await runner
        .query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [key])
        .catch(() => undefined);
      await runner.release();
    }
  }

  private async acquire(key: string): Promise<QueryRunner> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const runner = this.dataSource.createQueryRunner();
      await runner.connect();
      let locked = false;
      try {
        const rows = (await runner.query(
          `SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked`,
          [key],
        )) as { locked: boolean }[];
        locked = rows[0]?.locked === true;
      } finally {
        if (!locked) await runner.release();
      }
      if (locked) return runner;
      if (Date.now() > deadline)
        throw new Error(`waited ${WAIT_MS / 1000} s for the quota lock ${key}`);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }
}
