import { Column, Entity, Index } from 'typeorm';
import { GuidEntityWithMetadata } from '@wharf/platform/db';

export type TaskState = 'PENDING' | 'RUNNING' | 'CANCELING' | 'SUCCEEDED' | 'FAILED';

export const TASK_STATES: readonly TaskState[] = [
  'PENDING',
  'RUNNING',
  'CANCELING',
  'SUCCEEDED',
  'FAILED',
];
/** Tasks that still hold (or are about to hold) memory: counted against quotas. */
export const ACTIVE_TASK_STATES: readonly TaskState[] = ['PENDING', 'RUNNING', 'CANCELING'];
export const TERMINAL_TASK_STATES: readonly TaskState[] = ['SUCCEEDED', 'FAILED'];

/**
 * A one-off command run in a container of an app's droplet (CF's task): `PENDING` until its
 * container runs, `RUNNING`, then `SUCCEEDED` (exit 0) or `FAILED` with why; a cancel goes
 * through `CANCELING`. The scheduler records where it runs (`cellGuid`, `containerId`); the
 * container is kept after the exit until its output is in the app's log.
 */
@Entity('tasks')
@Index(['appGuid', 'sequenceId'], { unique: true })
@Index(['state'])
export class TaskEntity extends GuidEntityWithMetadata {
  @Column({ name: 'app_guid', type: 'uuid' })
  appGuid!: string;

  /** The app's task number (1, 2, ...): the `id` cf prints and terminate-task takes. */
  @Column({ name: 'sequence_id', type: 'integer' })
  sequenceId!: number;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  command!: string;

  @Column({ type: 'text' })
  state!: TaskState;

  @Column({ name: 'memory_in_mb', type: 'integer' })
  memoryInMb!: number;

  @Column({ name: 'disk_in_mb', type: 'integer' })
  diskInMb!: number;

  @Column({ name: 'log_rate_limit_in_bytes_per_second', type: 'integer', default: -1 })
  logRateLimitInBytesPerSecond!: number;

  /** Droplets live in the staging context: a guid, not a relation. */
  @Column({ name: 'droplet_guid', type: 'uuid' })
  dropletGuid!: string;

  @Column({ name: 'failure_reason', type: 'text', nullable: true })
  failureReason!: string | null;

  @Column({ name: 'cell_guid', type: 'uuid', nullable: true })
  cellGuid!: string | null;

  @Column({ name: 'container_id', type: 'text', nullable: true })
  containerId!: string | null;
}
