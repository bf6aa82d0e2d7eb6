import { Column, Entity, Index } from 'typeorm';
import { GuidEntityWithMetadata } from '@wharf/platform/db';

/** host.domain/path in a space; what the router matches. */
@Entity('routes')
@Index(['domainGuid', 'host', 'path'], { unique: true })
export class RouteEntity extends GuidEntityWithMetadata {
  /** Empty for a route on the domain itself. */
  @Column({ type: 'text', default: '' })
  host!: string;

  /** Empty, or starting with '/'. */
  @Column({ type: 'text', default: '' })
  path!: string;

  @Column({ name: 'domain_guid', type: 'uuid' })
  domainGuid!: string;

  @Index()
  @Column({ name: 'space_guid', type: 'uuid' })
  spaceGuid!: string;
}
