import { Injectable } from '@nestjs/common';
import type { JobName, JobPayloads } from '@wharf/contracts';
import { CommonErrorCode, commonError, COMMON_ERRORS } from '@wharf/platform/errors';
import { JobBus } from './job-bus';
import { JobRecordRepository } from './job-record.repository';

type PayloadWithoutJob<N extends JobName> = Omit<JobPayloads[N], 'jobGuid'>;

/**
 * Starts a user-visible asynchronous operation: the /v3/jobs row first, then the queued work,
 * keyed by that row so a repeated request is a new job and a retried one is not. If the queue
 * cannot take it, the row is marked FAILED and the caller gets 503.
 */
@Injectable()
export class UserJobLauncher {
  constructor(
    private readonly jobs: JobRecordRepository,
    private readonly bus: JobBus,
  ) {}

  async launch<N extends JobName>(
    name: N,
    record: {
      operation: string;
      resourceType: string;
      resourceGuid: string;
      userGuid: string | null;
    },
    payload: PayloadWithoutJob<N>,
    /**
     * Runs once the job's guid exists and before the work is queued: where the caller records the
     * operation (with that guid) that the work will find. If it throws, the job is marked FAILED.
     */
    beforeEnqueue?: (jobGuid: string) => Promise<void>,
  ): Promise<{ jobGuid: string }> {
    const job = await this.jobs.create(record);
    if (beforeEnqueue) {
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
    }
    try {
      await this.bus.enqueue(name, { ...payload, jobGuid: job.guid } as JobPayloads[N], {
        key: job.guid,
      });
    } catch (err) {
      const detail = `The job queue is unavailable: ${(err as Error).message}`;
      const e = COMMON_ERRORS.ServiceUnavailable;
      await this.jobs.fail(job.guid, { code: e.code, title: e.title, detail });
      throw commonError(CommonErrorCode.ServiceUnavailable, detail);
    }
    return { jobGuid: job.guid };
  }
}
