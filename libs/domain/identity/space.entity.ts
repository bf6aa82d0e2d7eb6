import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { GuidEntityWithMetadata } from '@wharf/platform/db';
import { OrganizationEntity } from './organization.entity';
import { SpaceQuotaEntity } from './space-quota.entity';

@Entity('spaces')
@Index(['organizationGuid', 'name'], { unique: true })
export class SpaceEntity extends GuidEntityWithMetadata {
  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'organization_guid', type: 'uuid' })
  organizationGuid!: string;

  /** Same context, so a real foreign key: an org with spaces cannot be deleted underneath them. */
  @ManyToOne(() => OrganizationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organization_guid' })
  organization?: OrganizationEntity;

  /** The space quota applied to this space, if any (the organization's quota applies too). */
  @Column({ name: 'space_quota_guid', type: 'uuid', nullable: true })
  spaceQuotaGuid!: string | null;

  @ManyToOne(() => SpaceQuotaEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'space_quota_guid' })
  spaceQuota?: SpaceQuotaEntity;
}
