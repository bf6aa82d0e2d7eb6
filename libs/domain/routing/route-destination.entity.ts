import { Column, Entity, Index } from 'typeorm';
import { GuidEntity } from '@wharf/platform/db';

/** A route's traffic goes to the instances of these app processes. */
@Entity('route_destinations')
@Index(['routeGuid', 'appGuid', 'processType'], { unique: true })
export class RouteDestinationEntity extends GuidEntity {
  @Column({ name: 'route_guid', type: 'uuid' })
  routeGuid!: string;

  @Index()
  @Column({ name: 'app_guid', type: 'uuid' })
  appGuid!: string;

  @Column({ name: 'process_type', type: 'text', default: 'web' })
  processType!: string;

  @Column({ type: 'integer', default: 8080 })
  port!: number;
}
