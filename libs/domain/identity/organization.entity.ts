import { Column, Entity } from 'typeorm';
import { GuidEntityWithMetadata } from '@wharf/platform/db';

@Entity('organizations')
export class OrganizationEntity extends GuidEntityWithMetadata {
  @Column({ type: 'text', unique: true })
  name!: string;

  @Column({ type: 'boolean', default: false })
  suspended!: boolean;
}
