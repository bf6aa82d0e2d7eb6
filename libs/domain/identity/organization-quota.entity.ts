import { Column, Entity } from 'typeorm';
import { GuidEntity } from '@wharf/platform/db';
import { QuotaLimitsColumns } from './quota-limits.columns';

/** The seeded quota every new organization gets (unlimited). */
export const DEFAULT_ORGANIZATION_QUOTA_NAME = 'default';

/** A named set of limits applied to organizations (CF's organization_quotas). */
@Entity('organization_quotas')
export class OrganizationQuotaEntity extends GuidEntity {
  @Column({ type: 'text', unique: true })
  name!: string;

  @Column(() => QuotaLimitsColumns, { prefix: false })
  limits!: QuotaLimitsColumns;

  @Column({ name: 'total_domains', type: 'integer', nullable: true })
  totalDomains!: number | null;
}
