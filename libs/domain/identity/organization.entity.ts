import { Column, Entity, JoinColumn, ManyToOne } from 'typeorm';
import { GuidEntityWithMetadata } from '@wharf/platform/db';
import { OrganizationQuotaEntity } from './organization-quota.entity';

@Entity('organizations')
export class OrganizationEntity extends GuidEntityWithMetadata {
  @Column({ type: 'text', unique: true })
  name!: string;

  @Column({ type: 'boolean', default: false })
  suspended!: boolean;

  /** Every organization has exactly one quota; a quota in use cannot be deleted. */
  @Column({ name: 'quota_guid', type: 'uuid' })
  quotaGuid!: string;

  @ManyToOne(() => OrganizationQuotaEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'quota_guid' })
  quota?: OrganizationQuotaEntity;
}
