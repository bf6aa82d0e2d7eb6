import { Column, Entity, Index } from 'typeorm';
import { GuidEntityWithMetadata } from '@wharf/platform/db';

/** A registered Open Service Broker; its password is sealed (SecretBox), never stored plain. */
@Entity('service_brokers')
export class ServiceBrokerEntity extends GuidEntityWithMetadata {
  @Index({ unique: true })
  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  url!: string;

  @Column({ type: 'text' })
  username!: string;

  @Column({ name: 'password_sealed', type: 'text' })
  passwordSealed!: string;

  /**
   * False until the first catalog fetch succeeded: a broker whose registration failed is removed
   * again, and one still registering offers nothing.
   */
  @Column({ type: 'boolean', default: false })
  registered!: boolean;
}
