import { Column, Entity, Index } from 'typeorm';
import type { InstanceState } from '@wharf/contracts';
import { GuidEntity } from '@wharf/platform/db';

/**
 * One desired slot of a process (its index, for one app version) and the instance currently
 * filling it. The row's guid is the slot's; `instanceGuid` is the running instance's and changes
 * with every replacement, while the crash count carries over from one instance of the slot to
 * the next, as in Diego. While a new version rolls out, index i has a slot of the old version and
 * one of the new, side by side, until the old one is retired (docs/architecture.md, Deployments).
 */
@Entity('instances')
@Index(['processGuid', 'appVersion', 'index'], { unique: true })
@Index(['cellGuid', 'hostPort'], { unique: true })
export class InstanceEntity extends GuidEntity {
  @Index()
  @Column({ name: 'app_guid', type: 'uuid' })
  appGuid!: string;

  @Column({ name: 'process_guid', type: 'uuid' })
  processGuid!: string;

  @Column({ name: 'process_type', type: 'text' })
  processType!: string;

  @Column({ type: 'integer' })
  index!: number;

  @Column({ name: 'instance_guid', type: 'uuid' })
  instanceGuid!: string;

  @Column({ name: 'cell_guid', type: 'uuid' })
  cellGuid!: string;

  @Column({ name: 'container_id', type: 'text', nullable: true })
  containerId!: string | null;

  @Column({ name: 'droplet_guid', type: 'uuid' })
  dropletGuid!: string;

  /** The app version (start/restart generation) the instance was started for. */
  @Column({ name: 'app_version', type: 'uuid' })
  appVersion!: string;

  @Column({ type: 'text' })
  state!: InstanceState;

  @Column({ name: 'state_since', type: 'timestamptz' })
  stateSince!: Date;

  /** Published port of the container's 8080 on the cell. */
  @Column({ name: 'host_port', type: 'integer', nullable: true })
  hostPort!: number | null;

  @Column({ name: 'container_ip', type: 'text', nullable: true })
  containerIp!: string | null;

  @Column({ name: 'crash_count', type: 'integer', default: 0 })
  crashCount!: number;

  @Column({ name: 'healthy_since', type: 'timestamptz', nullable: true })
  healthySince!: Date | null;

  @Column({ name: 'next_restart_at', type: 'timestamptz', nullable: true })
  nextRestartAt!: Date | null;

  /** Why the slot is crashed or down, e.g. "Start app timeout". */
  @Column({ type: 'text', nullable: true })
  details!: string | null;
}

/**
 * Whether the router sends the instance requests: RUNNING, or STARTING and healthy (waiting for
 * the router to take it in, after which it is RUNNING).
 */
export const isRoutable = (row: Pick<InstanceEntity, 'state' | 'healthySince'>): boolean =>
  row.state === 'RUNNING' || (row.state === 'STARTING' && row.healthySince !== null);
