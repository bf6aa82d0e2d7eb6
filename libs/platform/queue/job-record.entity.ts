import { Column, Entity, Index } from 'typeorm';
import { GuidEntity } from '@wharf/platform/db';
import type { CfError, JobState } from '@wharf/contracts';

/** The user-visible side of an asynchronous operation: GET /v3/jobs/:guid. */
@Entity('jobs')
export class JobRecordEntity extends GuidEntity {
  /** CF's operation name, e.g. "organization.delete". */
  @Column({ type: 'text' })
  operation!: string;

  @Column({ type: 'text', default: 'PROCESSING' })
  state!: JobState;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  errors!: CfError[];

  @Column({ type: 'jsonb', default: () => "'[]'" })
  warnings!: { detail: string }[];

  @Column({ name: 'resource_type', type: 'text' })
  resourceType!: string;

  @Column({ name: 'resource_guid', type: 'uuid' })
  resourceGuid!: string;

  @Index()
  @Column({ name: 'user_guid', type: 'uuid', nullable: true })
  userGuid!: string | null;
}
