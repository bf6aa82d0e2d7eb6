import { Column, Entity, Index } from 'typeorm';
import { GuidEntityWithMetadata } from '@wharf/platform/db';
import { LastOperationColumns } from './last-operation.columns';

export type ServiceInstanceType = 'user-provided' | 'managed';

/**
 * A service instance in a space. User-provided ones carry their own credentials (sealed); managed
 * ones name a plan of a broker's catalog and are provisioned by that broker.
 */
@Entity('service_instances')
@Index(['spaceGuid', 'name'], { unique: true })
export class ServiceInstanceEntity extends GuidEntityWithMetadata {
  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  type!: ServiceInstanceType;

  @Index()
  @Column({ name: 'space_guid', type: 'uuid' })
  spaceGuid!: string;

  /** SecretBox-sealed JSON object; never plain text. */
  @Column({ name: 'credentials_sealed', type: 'text', nullable: true })
  credentialsSealed!: string | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  tags!: string[];

  @Column({ name: 'syslog_drain_url', type: 'text', nullable: true })
  syslogDrainUrl!: string | null;

  @Column({ name: 'route_service_url', type: 'text', nullable: true })
  routeServiceUrl!: string | null;

  /** Managed instances: the plan (and through it offering and broker). */
  @Index()
  @Column({ name: 'service_plan_guid', type: 'uuid', nullable: true })
  servicePlanGuid!: string | null;

  @Column({ name: 'dashboard_url', type: 'text', nullable: true })
  dashboardUrl!: string | null;

  /** Parameters of a request not yet sent to the broker (sealed); cleared once sent. */
  @Column({ name: 'pending_parameters_sealed', type: 'text', nullable: true })
  pendingParametersSealed!: string | null;

  /** The plan an update is moving to, until the broker confirms it. */
  @Column({ name: 'pending_plan_guid', type: 'uuid', nullable: true })
  pendingPlanGuid!: string | null;

  @Column(() => LastOperationColumns, { prefix: false })
  lastOperation!: LastOperationColumns;
}
