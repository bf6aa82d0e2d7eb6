import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { JobsOptions, Queue } from 'bullmq';
import { JOB_QUEUES, JobName, JobPayloads, QueueName } from '@wharf/contracts';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';
import { RedisConnections } from '@wharf/platform/redis';

export interface EnqueueOptions {
  /** Identifies the work: the same name + key while a job is pending is enqueued only once. */
  key: string;
  delayMs?: number;
}

/** Default retry policy: infrastructure failures retry with backoff; domain errors never do. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** The one way to enqueue work. Job ids are deterministic (`name#key`) so duplicates collapse. */
@Injectable()
export class JobBus implements OnModuleDestroy {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
    private readonly redis: RedisConnections,
  ) {}

  async enqueue<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    options: EnqueueOptions,
  ): Promise<void> {
    await this.queue(JOB_QUEUES[name]).add(name, payload, {
      ...DEFAULT_JOB_OPTIONS,
      jobId: jobId(name, options.key),
      delay: options.delayMs,
    });
  }

  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, {
        // Producers fail fast when Redis is down, so a request gets an answer instead of waiting.
        connection: this.redis.bullmq({
          maxRetriesPerRequest: 1,
          enableOfflineQueue: false,
          connectTimeout: 2000,
        }),
        prefix: this.config.queuePrefix,
      });
      queue.on('error', () => undefined); // surfaced to the caller of enqueue()
      this.queues.set(name, queue);
    }
    return queue;
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }
}

/** BullMQ reserves ':' in custom ids, so the deterministic id is `name#key`. */
export function jobId(name: JobName, key: string): string {
  return `${name}#${key}`;
}
