import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { JobName } from '@wharf/contracts';

/**
 * A job committed with the change that asked for it and not yet known to be in the queue: written
 * in the change's transaction (JobBus.transaction), pushed to BullMQ right after the commit and
 * deleted then; one left behind (a crash or Redis down between commit and push) is pushed by the
 * worker's JobOutboxRelay.
 */
@Entity('job_outbox')
export class JobOutboxEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: JobName;

  /** The enqueue key: the BullMQ job id is `name#key`, so a second push of the row is a no-op. */
  @Column({ type: 'text' })
  key!: string;

  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  /** The delay asked for, counted from created_at. */
  @Column({ name: 'delay_ms', type: 'integer', default: 0 })
  delayMs!: number;

  @Index()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
