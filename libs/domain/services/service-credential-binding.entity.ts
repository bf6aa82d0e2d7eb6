import { Column, Entity, Index } from 'typeorm';
import { GuidEntityWithMetadata } from '@wharf/platform/db';
import { LastOperationColumns } from './last-operation.columns';

export type CredentialBindingType = 'app' | 'key';

/** An app binding or a service key of a service instance. */
@Entity('service_credential_bindings')
@Index(['serviceInstanceGuid', 'appGuid'], { unique: true, where: '"app_guid" IS NOT NULL' })
@Index(['serviceInstanceGuid', 'name'], { unique: true, where: `"type" = 'key'` })
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

  /** Parameters of a bind request not yet sent to the broker (sealed); cleared once sent. */
  @Column({ name: 'pending_parameters_sealed', type: 'text', nullable: true })
  pendingParametersSealed!: string | null;

  @Column(() => LastOperationColumns, { prefix: false })
  lastOperation!: LastOperationColumns;
}
