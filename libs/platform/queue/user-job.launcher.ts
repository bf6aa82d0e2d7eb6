import { Injectable } from '@nestjs/common';
import type { JobName, JobPayloads } from '@wharf/contracts';
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
 * transaction (the work as a job outbox row), with whatever the caller writes in it: the change
 * that asks for the work, the operation the work will find, its audit event. So the row is never
 * PROCESSING with no work behind it, nor the change there without its job; with the queue down
 * the request still succeeds and the worker's outbox relay delivers the work once the queue is
 * back.
 */
@Injectable()
export class UserJobLauncher {
  constructor(
    private readonly jobs: JobRecordRepository,
    private readonly bus: JobBus,
  ) {}

  /**
   * In a transaction of its own. `within` runs in it once the job's guid exists, before the work
   * is queued: where the caller saves, through `tx.manager`, what commits with the job (the
   * operation the work will find, the change, the audit event). If it throws, nothing commits.
   */
  async launch<N extends JobName>(
    name: N,
    record: UserJobRecord,
    payload: PayloadWithoutJob<N>,
    within?: (tx: JobTransaction, jobGuid: string) => Promise<void>,
  ): Promise<{ jobGuid: string }> {
    return this.bus.transaction((tx) => this.launchIn(tx, name, record, payload, within));
  }

  /** The job's row and work in the caller's transaction, with the change that starts it. */
  async launchIn<N extends JobName>(
    tx: JobTransaction,
    name: N,
    record: UserJobRecord,
    payload: PayloadWithoutJob<N>,
    within?: (tx: JobTransaction, jobGuid: string) => Promise<void>,
  ): Promise<{ jobGuid: string }> {
    const job = await this.jobs.create(record, tx.manager);
    await within?.(tx, job.guid);
    await tx.enqueue(name, { ...payload, jobGuid: job.guid } as JobPayloads[N], {
      key: job.guid,
    });
    return { jobGuid: job.guid };
  }
}
