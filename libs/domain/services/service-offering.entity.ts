import { Column, Entity, Index } from 'typeorm';
import { GuidEntityWithMetadata } from '@wharf/platform/db';

/** A service offering from a broker's catalog, refreshed on every catalog fetch. */
@Entity('service_offerings')
@Index(['brokerGuid', 'catalogId'], { unique: true })
export class ServiceOfferingEntity extends GuidEntityWithMetadata {
  @Index()
  @Column({ name: 'broker_guid', type: 'uuid' })
  brokerGuid!: string;

  /** The broker's id for it (`service_id` in OSB requests). */
  @Column({ name: 'catalog_id', type: 'text' })
  catalogId!: string;

  @Index()
  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  description!: string;

  /** False once the broker's catalog no longer lists it (kept while instances use it). */
  @Column({ type: 'boolean', default: true })
  available!: boolean;

  @Column({ type: 'boolean' })
  bindable!: boolean;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  tags!: string[];

  @Column({ type: 'jsonb', default: () => "'[]'" })
  requires!: string[];

  @Column({ name: 'instances_retrievable', type: 'boolean', default: false })
  instancesRetrievable!: boolean;

  @Column({ name: 'bindings_retrievable', type: 'boolean', default: false })
  bindingsRetrievable!: boolean;

  @Column({ name: 'plan_updateable', type: 'boolean', default: false })
  planUpdateable!: boolean;

  @Column({ name: 'allow_context_updates', type: 'boolean', default: false })
  allowContextUpdates!: boolean;

  @Column({ type: 'boolean', default: false })
  shareable!: boolean;

  @Column({ name: 'documentation_url', type: 'text', nullable: true })
  documentationUrl!: string | null;

  @Column({ name: 'catalog_metadata', type: 'jsonb', default: () => "'{}'" })
  catalogMetadata!: Record<string, unknown>;
}
