import { Column, Entity, Index } from 'typeorm';
import { GuidEntityWithMetadata } from '@wharf/platform/db';

export interface PlanSchemas {
  service_instance: { create: { parameters: object }; update: { parameters: object } };
  service_binding: { create: { parameters: object } };
}

/** A plan of a service offering, from the broker's catalog. */
@Entity('service_plans')
@Index(['offeringGuid', 'catalogId'], { unique: true })
export class ServicePlanEntity extends GuidEntityWithMetadata {
  @Index()
  @Column({ name: 'offering_guid', type: 'uuid' })
  offeringGuid!: string;

  /** The broker's id for it (`plan_id` in OSB requests). */
  @Column({ name: 'catalog_id', type: 'text' })
  catalogId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'boolean', default: true })
  free!: boolean;

  /** False once the broker's catalog no longer lists it. */
  @Column({ type: 'boolean', default: true })
  available!: boolean;

  /** Null: as the offering says. */
  @Column({ type: 'boolean', nullable: true })
  bindable!: boolean | null;

  @Column({ name: 'plan_updateable', type: 'boolean', nullable: true })
  planUpdateable!: boolean | null;

  /** Seconds the platform keeps polling an asynchronous operation; null: the platform default. */
  @Column({ name: 'maximum_polling_duration', type: 'integer', nullable: true })
  maximumPollingDuration!: number | null;

  @Column({ name: 'maintenance_info', type: 'jsonb', nullable: true })
  maintenanceInfo!: { version: string; description?: string } | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  costs!: unknown[];

  @Column({ name: 'catalog_metadata', type: 'jsonb', default: () => "'{}'" })
  catalogMetadata!: Record<string, unknown>;

  /** JSON schemas of parameters; `{}` where the broker gave none. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  schemas!: Partial<PlanSchemas>;

  /** Visible to every org (`enable-service-access` without -o); otherwise admins and listed orgs. */
  @Column({ type: 'boolean', default: false })
  public!: boolean;
}
