import { Column, Entity, Index } from 'typeorm';
import { GuidEntityWithMetadata } from '@wharf/platform/db';

/** A domain routes live under: shared (every org), private (one org), or internal. */
@Entity('domains')
export class DomainEntity extends GuidEntityWithMetadata {
  @Index({ unique: true })
  @Column({ type: 'text' })
  name!: string;

  /** Reachable only from apps (apps.internal), never through the router. */
  @Column({ type: 'boolean', default: false })
  internal!: boolean;

  /** Null: a shared domain. */
  @Column({ name: 'organization_guid', type: 'uuid', nullable: true })
  organizationGuid!: string | null;
}
