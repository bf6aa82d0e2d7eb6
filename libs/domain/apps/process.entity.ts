import { Column, Entity, Index } from 'typeorm';
import { GuidEntity } from '@wharf/platform/db';
import type { HealthCheckType } from './manifest';

/** A process type of an app (web, worker, ...): the desired instances and how to run them. */
@Entity('processes')
@Index(['appGuid', 'type'], { unique: true })
export class ProcessEntity extends GuidEntity {
  @Column({ name: 'app_guid', type: 'uuid' })
  appGuid!: string;

  @Column({ type: 'text' })
  type!: string;

  /** Null: the droplet's start command for this type. */
  @Column({ type: 'text', nullable: true })
  command!: string | null;

  /** The app revision the process last started with (null: revisions off, or never started). */
  @Column({ name: 'revision_guid', type: 'uuid', nullable: true })
  revisionGuid!: string | null;

  @Column({ type: 'integer' })
  instances!: number;

  @Column({ name: 'memory_in_mb', type: 'integer' })
  memoryInMb!: number;

  @Column({ name: 'disk_in_mb', type: 'integer' })
  diskInMb!: number;

  @Column({ name: 'health_check_type', type: 'text' })
  healthCheckType!: HealthCheckType;

  @Column({ name: 'health_check_endpoint', type: 'text', nullable: true })
  healthCheckEndpoint!: string | null;

  /** Seconds to become healthy after start (CF: default 60, at most 180); null = default. */
  @Column({ name: 'health_check_timeout', type: 'integer', nullable: true })
  healthCheckTimeout!: number | null;

  @Column({ name: 'health_check_invocation_timeout', type: 'integer', nullable: true })
  healthCheckInvocationTimeout!: number | null;

  @Column({ name: 'health_check_interval', type: 'integer', nullable: true })
  healthCheckInterval!: number | null;
}
