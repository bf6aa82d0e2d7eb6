import { randomUUID } from 'node:crypto';
import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { JobsOptions, Queue } from 'bullmq';
import { DataSource, EntityManager } from 'typeorm';
import { JOB_QUEUES, JobName, JobPayloads, QueueName } from '@wharf/contracts';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';
import { RedisConnections } from '@wharf/platform/redis';
import { JobOutboxEntity } from './job-outbox.entity';

export interface EnqueueOptions {
  /** Identifies the work: the same name + key while a job is pending is enqueued only once. */
  key: string;
  delayMs?: number;
}

/** How long a push of an outbox row may take before it is left to the relay. */
export const DELIVER_TIMEOUT_MS = 2000;

/** Default retry policy: infrastructure failures retry with backoff; domain errors never do. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/**
 * A database transaction whose jobs are committed with it: `enqueue` writes a `job_outbox` row
 * through `manager`, and the rows are pushed to the queue once the transaction has committed.
 */
export interface JobTransaction {
  readonly manager: EntityManager;
  enqueue<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    options: EnqueueOptions,
  ): Promise<void>;
}

/**
 * The one way to enqueue work. Job ids are deterministic (`name#key`) so duplicates collapse.
 * `transaction` is the way for work that a state change asks for: the change, its audit event and
 * its jobs commit together, and each job is delivered at least once.
 */
@Injectable()
export class JobBus implements BeforeApplicationShutdown {
  private readonly logger = new Logger('JobBus');
  private readonly queues = new Map<QueueName, Queue>();
  private closed = false;

  constructor(
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
    private readonly redis: RedisConnections,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /**
   * Runs `work` in one database transaction; the jobs it enqueues through the transaction are
   * outbox rows of that transaction. After the commit they are pushed at once and their rows
   * deleted; a push that fails (Redis down, or the process dies first) leaves the row to the
   * worker's JobOutboxRelay, so the caller's change succeeds whatever the queue's state. A
   * transaction that rolls back enqueues nothing.
   */
  async transaction<T>(work: (tx: JobTransaction) => Promise<T>): Promise<T> {
    const rows: JobOutboxEntity[] = [];
    const result = await this.dataSource.transaction(async (manager) => {
      const tx: JobTransaction = {
        manager,
        enqueue: async (name, payload, options) => {
          const row = manager.create(JobOutboxEntity, {
            id: randomUUID(),
            name,
            key: options.key,
            payload,
            delayMs: Math.max(0, Math.round(options.delayMs ?? 0)),
          });
          rows.push(await manager.save(row));
        },
      };
      return work(tx);
    });
    for (const row of rows) {
      await this.deliver(row).catch((err: Error) =>
        this.logger.warn(`job ${jobId(row.name, row.key)} left to the relay: ${err.message}`),
      );
    }
    return result;
  }

  /**
   * Pushes an outbox row to its queue (what is left of its delay, counted from the commit) and
   * deletes it. A row pushed twice is one job while that job exists; processors are level-based,
   * so a late duplicate is harmless too.
   */
  async deliver(
    row: JobOutboxEntity,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    const elapsed = Date.now() - row.createdAt.getTime();
    // A queue that has never reached Redis waits for it instead of failing: the push is bounded
    // (if it lands later, the row's next push is the same job).
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.enqueue(row.name, row.payload as never, {
          key: row.key,
          delayMs: row.delayMs > 0 ? Math.max(0, row.delayMs - elapsed) : undefined,
        }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`the queue did not answer within ${DELIVER_TIMEOUT_MS} ms`)),
            DELIVER_TIMEOUT_MS,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
    await manager.delete(JobOutboxEntity, { id: row.id });
  }

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
      // Work still finishing during shutdown (a converge pass) must not open a queue that
      // nobody closes: its job fails and is redone by whoever runs next.
      if (this.closed) throw new Error(`the job bus is shut down: ${name} not reachable`);
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

  /** After every onModuleDestroy, so the outbox relay has stopped using the queues. */
  async beforeApplicationShutdown(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }
}

/** BullMQ reserves ':' in custom ids, so the deterministic id is `name#key`. */
export function jobId(name: JobName, key: string): string {
  return `${name}#${key}`;
}
