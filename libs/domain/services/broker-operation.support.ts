import { Injectable } from '@nestjs/common';
import type { JobPayloads } from '@wharf/contracts';
import { PLATFORM_VISIBILITY } from '@wharf/access';
import { IdentityQueryService } from '@wharf/identity';
import { DomainError } from '@wharf/platform/errors';
import { JobBus, JobRecordRepository } from '@wharf/platform/queue';
import { ServicesErrorCode, servicesError } from './services.errors';

/** The OSB `context` object (profile "cloudfoundry") and the guids a provision body repeats. */
export interface SpaceContext {
  organizationGuid: string;
  spaceGuid: string;
  context: Record<string, unknown>;
}

@Injectable()
export class BrokerContextBuilder {
  constructor(private readonly identity: IdentityQueryService) {}

  async forSpace(spaceGuid: string, instanceName: string): Promise<SpaceContext> {
    const space = await this.identity.getSpace(PLATFORM_VISIBILITY, spaceGuid);
    const org = await this.identity.getOrganizationOfSpace(space);
    return {
      organizationGuid: org.guid,
      spaceGuid: space.guid,
      context: {
        platform: 'cloudfoundry',
        organization_guid: org.guid,
        organization_name: org.name,
        space_guid: space.guid,
        space_name: space.name,
        instance_name: instanceName,
      },
    };
  }
}

/**
 * Delay before poll n (1, 2, …) of a broker's last_operation: the broker's Retry-After when it
 * sent one, else 0.5 s doubling to at most 15 s, so fast operations finish quickly and slow ones
 * do not hammer the broker.
 */
export function pollDelayMs(poll: number, retryAfterSeconds: number | null): number {
  if (retryAfterSeconds !== null) return retryAfterSeconds * 1000;
  return Math.min(15_000, 500 * 2 ** Math.max(0, poll - 1));
}

/** True once polling has gone on longer than the plan (or the platform) allows. */
export function pollingExpired(
  startedAt: Date,
  maximumPollingDuration: number | null,
  platformMaxSeconds: number,
  now = Date.now(),
): boolean {
  const limit = (maximumPollingDuration ?? platformMaxSeconds) * 1000;
  return now - startedAt.getTime() > limit;
}

/** A broker operation's job, by name with its payload. */
export type OperateJob =
  | { name: 'service_instance.operate'; payload: JobPayloads['service_instance.operate'] }
  | { name: 'service_binding.operate'; payload: JobPayloads['service_binding.operate'] };

/**
 * The user-visible job side of a broker operation, shared by the instance and binding processors:
 * who asked, polling again later, and how the job ends.
 */
@Injectable()
export class OperationJobs {
  constructor(
    private readonly jobs: JobRecordRepository,
    private readonly bus: JobBus,
  ) {}

  /** The user on whose behalf the broker is called (X-Broker-API-Originating-Identity). */
  async userOf(jobGuid: string): Promise<string | null> {
    return (await this.jobs.findByGuidUnscoped(jobGuid))?.userGuid ?? null;
  }

  /** The broker answered 202: the job is POLLING and its first poll is queued. */
  async startPolling(job: OperateJob, retryAfterSeconds: number | null): Promise<void> {
    await this.jobs.polling(job.payload.jobGuid);
    await this.pollAgain(job, retryAfterSeconds);
  }

  /** Queues poll n+1 as a new job, after the broker's Retry-After or a growing interval. */
  pollAgain(job: OperateJob, retryAfterSeconds: number | null): Promise<void> {
    const poll = job.payload.poll + 1;
    const options = {
      key: `${job.payload.jobGuid}.${poll}`,
      delayMs: pollDelayMs(poll, retryAfterSeconds),
    };
    return job.name === 'service_instance.operate'
      ? this.bus.enqueue(job.name, { ...job.payload, poll }, options)
      : this.bus.enqueue(job.name, { ...job.payload, poll }, options);
  }

  complete(jobGuid: string): Promise<void> {
    return this.jobs.complete(jobGuid);
  }

  /**
   * A failed operation: thrown as CF's UnableToPerform with the broker's words, which fails the
   * /v3/jobs row (a DomainError is not retried).
   */
  failure(verb: string, description: string | null): DomainError {
    return servicesError(
      ServicesErrorCode.UnableToPerform,
      `${verb} could not be completed: ${description ?? 'the service broker reported a failure'}`,
    );
  }
}
