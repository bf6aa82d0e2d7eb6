import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { Job, UnrecoverableError, Worker } from 'bullmq';
import { JOB_NAMES, JOB_QUEUES, JobName, QUEUES } from '@wharf/contracts';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';
import { isUuid } from '@wharf/platform/db';
import { DomainError } from '@wharf/platform/errors';
import { JOB_HANDLER_METADATA, JobProcessor } from './job-handler.decorator';
import { RedisConnections } from '@wharf/platform/redis';
import { JobRecordRepository } from './job-record.repository';

/**
 * Runs a BullMQ worker per queue and dispatches each job to the one processor registered for its
 * name. Boot fails unless every job name has exactly one handler. On shutdown, running jobs are
 * allowed to finish; a job still running when the process dies is handed back by BullMQ's stalled
 * job check and runs again elsewhere (processors are idempotent).
 */
@Injectable()
export class JobWorkerHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('JobWorker');
  private readonly workers: Worker[] = [];
  private handlers = new Map<JobName, JobProcessor<JobName>>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly jobRecords: JobRecordRepository,
    private readonly redis: RedisConnections,
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.handlers = collectHandlers(
      this.discovery.getProviders().map((w) => ({
        instance: w.instance as unknown,
        metatype: w.metatype as unknown,
      })),
    );
    for (const queue of QUEUES) {
      const worker = new Worker(queue, (job: Job) => this.dispatch(job), {
        connection: this.redis.bullmq(),
        prefix: this.config.queuePrefix,
        concurrency: 4,
      });
      worker.on('failed', (job, err) => {
        this.logger.warn(
          `job ${job?.id ?? '?'} failed (attempt ${job?.attemptsMade ?? 0}): ${err.message}`,
        );
        if (job && isFinalFailure(job, err)) void this.recordFailure(job, err);
      });
      worker.on('error', (err) => this.logger.error(`queue ${queue}: ${err.message}`));
      this.workers.push(worker);
    }
    this.logger.log(`processing ${this.handlers.size} job types on queues: ${QUEUES.join(', ')}`);
  }

  private async dispatch(job: Job): Promise<void> {
    const handler = this.handlers.get(job.name as JobName);
    if (!handler) throw new UnrecoverableError(`no handler for job ${job.name}`);
    try {
      await handler.handle(job.data as never, {
        attempt: job.attemptsMade + 1,
        jobId: job.id ?? '',
      });
    } catch (err) {
      // Domain errors describe bad input or state: retrying cannot help. The user sees them as is.
      if (err instanceof DomainError) {
        await this.markJobRecord(job, {
          code: err.cf.code,
          title: err.cf.title,
          detail: err.detail,
        });
        throw new UnrecoverableError(err.message);
      }
      throw err;
    }
  }

  /** A job that will not run again leaves its /v3/jobs row FAILED, never PROCESSING forever. */
  private async recordFailure(job: Job, err: Error): Promise<void> {
    await this.markJobRecord(job, {
      code: 10001,
      title: 'UnknownError',
      detail: err.message,
    }).catch((e: Error) =>
      this.logger.error(`could not record the failure of job ${job.id ?? '?'}: ${e.message}`),
    );
  }

  private async markJobRecord(
    job: Job,
    error: { code: number; title: string; detail: string },
  ): Promise<void> {
    const jobGuid = (job.data as { jobGuid?: unknown } | undefined)?.jobGuid;
    if (typeof jobGuid !== 'string' || !isUuid(jobGuid)) return;
    const record = await this.jobRecords.findByGuidUnscoped(jobGuid);
    if (record && record.state !== 'FAILED' && record.state !== 'COMPLETE')
      await this.jobRecords.fail(jobGuid, error);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    this.workers.length = 0;
  }
}

function isFinalFailure(job: Job, err: Error): boolean {
  return err.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
}

/** Pure so it can be unit-tested: maps job names to processors, rejecting gaps and duplicates. */
export function collectHandlers(
  providers: { instance: unknown; metatype: unknown }[],
): Map<JobName, JobProcessor<JobName>> {
  const found = new Map<JobName, JobProcessor<JobName>[]>();
  for (const { instance, metatype } of providers) {
    if (!instance || typeof metatype !== 'function') continue;
    const name = Reflect.getMetadata(JOB_HANDLER_METADATA, metatype) as JobName | undefined;
    if (!name) continue;
    if (!(name in JOB_QUEUES)) throw new Error(`@JobHandler('${name}') names an unknown job`);
    found.set(name, [...(found.get(name) ?? []), instance as JobProcessor<JobName>]);
  }
  const problems: string[] = [];
  for (const name of JOB_NAMES) {
    const list = found.get(name) ?? [];
    if (list.length === 0) problems.push(`job '${name}' has no handler`);
    if (list.length > 1) problems.push(`job '${name}' has ${list.length} handlers`);
  }
  if (problems.length) throw new Error(`Worker cannot start: ${problems.join('; ')}`);
  return new Map([...found].map(([n, l]) => [n, l[0] as JobProcessor<JobName>]));
}
