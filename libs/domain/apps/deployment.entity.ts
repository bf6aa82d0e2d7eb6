import { Column, Entity, Index } from 'typeorm';
import { GuidEntityWithMetadata } from '@wharf/platform/db';

export type DeploymentStrategy = 'rolling' | 'canary';
export type DeploymentStatusValue = 'ACTIVE' | 'FINALIZED';
export type DeploymentStatusReason =
  'DEPLOYING' | 'PAUSED' | 'CANCELING' | 'DEPLOYED' | 'CANCELED' | 'SUPERSEDED';

export const DEPLOYMENT_STRATEGIES: readonly DeploymentStrategy[] = ['rolling', 'canary'];

/**
 * A rollout of an app to a droplet (or a revision's droplet, variables and commands), CF's
 * deployment: the app's new version starts beside the old one, `maxInFlight` instances at a time,
 * and each old instance retires only once a new one is routed (docs/architecture.md,
 * Deployments). The previous droplet, version and revision are kept so a cancel goes back.
 */
@Entity('deployments')
@Index(['appGuid', 'statusValue'])
export class DeploymentEntity extends GuidEntityWithMetadata {
  @Column({ name: 'app_guid', type: 'uuid' })
  appGuid!: string;

  @Column({ name: 'status_value', type: 'text' })
  statusValue!: DeploymentStatusValue;

  @Column({ name: 'status_reason', type: 'text' })
  statusReason!: DeploymentStatusReason;

  @Column({ name: 'status_updated_at', type: 'timestamptz' })
  statusUpdatedAt!: Date;

  @Column({ type: 'text' })
  strategy!: DeploymentStrategy;

  @Column({ name: 'max_in_flight', type: 'integer' })
  maxInFlight!: number;

  /** A canary deployment that was continued: the rest of its instances roll out. */
  @Column({ type: 'boolean', default: false })
  promoted!: boolean;

  /** Droplets live in the staging context: their guids, not relations. */
  @Column({ name: 'droplet_guid', type: 'uuid' })
  dropletGuid!: string;

  @Column({ name: 'previous_droplet_guid', type: 'uuid', nullable: true })
  previousDropletGuid!: string | null;

  @Column({ name: 'revision_guid', type: 'uuid', nullable: true })
  revisionGuid!: string | null;

  @Column({ name: 'revision_version', type: 'integer', nullable: true })
  revisionVersion!: number | null;

  @Column({ name: 'previous_revision_guid', type: 'uuid', nullable: true })
  previousRevisionGuid!: string | null;

  /** The app version (instances' generation) the deployment rolls out. */
  @Column({ name: 'app_version', type: 'uuid' })
  appVersion!: string;

  /** The version it replaces, which a cancel brings back (null: the app was stopped). */
  @Column({ name: 'previous_app_version', type: 'uuid', nullable: true })
  previousAppVersion!: string | null;

  @Column({ name: 'last_healthy_at', type: 'timestamptz', nullable: true })
  lastHealthyAt!: Date | null;

  /** Why the platform canceled it (an instance of the new version crashed or never started). */
  @Column({ type: 'text', nullable: true })
  error!: string | null;
}
