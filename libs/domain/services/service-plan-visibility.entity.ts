import { Entity, Index, PrimaryColumn } from 'typeorm';

/** An org that may use a non-public plan. */
@Entity('service_plan_visibilities')
export class ServicePlanVisibilityEntity {
  @PrimaryColumn({ name: 'plan_guid', type: 'uuid' })
  planGuid!: string;

  @PrimaryColumn({ name: 'organization_guid', type: 'uuid' })
  @Index()
  organizationGuid!: string;
}
