import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { GuidEntity } from '@wharf/platform/db';
import { OrganizationEntity } from './organization.entity';
import { QuotaLimitsColumns } from './quota-limits.columns';

/** A named set of limits an organization applies to some of its spaces (CF's space_quotas). */
@Entity('space_quotas')
@Index(['organizationGuid', 'name'], { unique: true })
export class SpaceQuotaEntity extends GuidEntity {
  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'organization_guid', type: 'uuid' })
  organizationGuid!: string;

  /** An organization's space quotas go with it (its spaces are gone by then). */
  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_guid' })
  organization?: OrganizationEntity;

  @Column(() => QuotaLimitsColumns, { prefix: false })
  limits!: QuotaLimitsColumns;
}
