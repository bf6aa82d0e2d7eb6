import { Column, Entity, Index } from 'typeorm';
import { GuidEntityWithMetadata } from '@wharf/platform/db';

export type ServiceInstanceType = 'user-provided' | 'managed';

/** A service instance in a space. User-provided ones carry their own credentials (sealed). */
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
}
