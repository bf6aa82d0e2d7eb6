import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { JobBus, jobId } from './job-bus';
import { JobOutboxEntity } from './job-outbox.entity';

/** How often the relay looks, and how old a row must be before it counts as left behind. */
export const OUTBOX_RELAY_INTERVAL_MS = 1000;
export const OUTBOX_GRACE_MS = 1000;
const BATCH = 100;

/**
 * Delivers the jobs whose push after their commit did not happen (the process died, or Redis was
 * down): every second, rows older than a second are pushed and deleted. Rows are taken
 * `FOR UPDATE SKIP LOCKED`, so every worker runs a relay and no two push the same row at once;
 * a row pushed both here and by its writer is one BullMQ job (`name#key`).
 */
@Injectable()
export class JobOutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('JobOutboxRelay');
  private timer: NodeJS.Timeout | null = null;
  private pass: Promise<number> | null = null;

  constructor(
    private readonly bus: JobBus,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.relay(), OUTBOX_RELAY_INTERVAL_MS);
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.pass;
  }

  /** One pass (never two at once in a process); returns how many rows it delivered. */
  relay(): Promise<number> {
    this.pass ??= this.deliverLeftBehind()
      .catch((err: Error) => {
        this.logger.warn(`relay: ${err.message}`);
        return 0;
      })
      .finally(() => (this.pass = null));
    return this.pass;
  }

  private deliverLeftBehind(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await manager
        .createQueryBuilder(JobOutboxEntity, 'o')
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .where(`o.created_at < now() - make_interval(secs => :grace)`, {
          grace: OUTBOX_GRACE_MS / 1000,
        })
        .orderBy('o.created_at', 'ASC')
        .limit(BATCH)
        .getMany();
      let delivered = 0;
      for (const row of rows) {
        try {
          await this.bus.deliver(row, manager);
          delivered++;
        } catch (err) {
          // The queue is down: the rest wait for the next pass; the delivered ones are deleted.
          this.logger.warn(
            `job ${jobId(row.name, row.key)} not delivered: ${(err as Error).message}`,
          );
          break;
        }
      }
      return delivered;
    });
  }
}
