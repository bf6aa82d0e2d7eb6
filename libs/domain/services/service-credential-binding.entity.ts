import { Column, Entity, Index } from 'typeorm';
import { GuidEntityWithMetadata } from '@wharf/platform/db';

export type CredentialBindingType = 'app' | 'key';

/** An app binding or a service key of a service instance. */
@Entity('service_credential_bindings')
@Index(['serviceInstanceGuid', 'appGuid'], { unique: true, where: '"app_guid" IS NOT NULL' })
export class ServiceCredentialBindingEntity extends GuidEntityWithMetadata {
  @Column({ type: 'text' })
  type!: CredentialBindingType;

  /** The binding name (VCAP_SERVICES `binding_name`); null when none was given. */
  @Column({ type: 'text', nullable: true })
  name!: string | null;

  @Index()
  @Column({ name: 'service_instance_guid', type: 'uuid' })
  serviceInstanceGuid!: string;

  @Index()
  @Column({ name: 'app_guid', type: 'uuid', nullable: true })
  appGuid!: string | null;

  /** The broker's credentials for managed bindings (sealed); user-provided ones read the instance's. */
  @Column({ name: 'credentials_sealed', type: 'text', nullable: true })
  credentialsSealed!: string | null;
}
