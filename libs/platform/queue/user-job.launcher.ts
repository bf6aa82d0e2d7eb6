import { Injectable } from '@nestjs/common';
import type { JobName, JobPayloads } from '@wharf/contracts';
import { COMMON_ERRORS } from '@wharf/platform/errors';
import { JobBus, JobTransaction } from './job-bus';
import { JobRecordRepository } from './job-record.repository';

type PayloadWithoutJob<N extends JobName> = Omit<JobPayloads[N], 'jobGuid'>;

export interface UserJobRecord {
  operation: string;
  resourceType: string;
  resourceGuid: string;
  userGuid: string | null;
}

/**
 * Starts a user-visible asynchronous operation: the /v3/jobs row and the queued work, keyed by
 * that row so a repeated request is a new job and a retried one is not. Both commit in one
 * transaction (the work as a job outbox row), so the row is never PROCESSING with no work behind
 * it; with the queue down the request still succeeds and the worker's outbox relay delivers the
 * work once the queue is back.
 */
@Injectable()
export class UserJobLauncher {
  constructor(
    private readonly jobs: JobRecordRepository,
    private readonly bus: JobBus,
  ) {}

  async launch<N extends JobName>(
    name: N,
    record: UserJobRecord,
    payload: PayloadWithoutJob<N>,
    /**
     * Runs once the job's guid exists and before the work is queued: where the caller records the
     * operation (with that guid) that the work will find. If it throws, the job is marked FAILED.
     * It writes outside the job's transaction: the row is committed first, then this, then the
     * work.
     */
    beforeEnqueue?: (jobGuid: string) => Promise<void>,
  ): Promise<{ jobGuid: string }> {
    if (!beforeEnqueue)
      return this.bus.transaction((tx) => this.launchIn(tx, name, record, payload));
    const job = await this.jobs.create(record);
    try {
      await beforeEnqueue(job.guid);
    } catch (err) {
      const e = COMMON_ERRORS.UnprocessableEntity;
      await this.jobs.fail(job.guid, {
        code: e.code,
        title: e.title,
        detail: (err as Error).message,
      });
      throw err;
    }
    await this.bus.transaction((tx) =>
      tx.enqueue(name, { ...payload, jobGuid: job.guid } as JobPayloads[N], { key: job.guid }),
    );
    return { jobGuid: job.guid };
  }

  /** The job's row and work in the caller's transaction, with the change that starts it. */
  async launchIn<N extends JobName>(
    tx: JobTransaction,
    name: N,
    record: UserJobRecord,
    payload: PayloadWithoutJob<N>,
  ): Promise<{ jobGuid: string }> {
    const job = await this.jobs.create(record, tx.manager);
    await tx.enqueue(name, { ...payload, jobGuid: job.guid } as JobPayloads[N], {
      key: job.guid,
    });
    return { jobGuid: job.guid };
  }
}
