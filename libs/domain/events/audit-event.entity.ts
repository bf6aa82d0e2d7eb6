import { Column, Entity, Index } from 'typeorm';
import { GuidEntity } from '@wharf/platform/db';

/** Who did what to which resource: CF's audit events (`GET /v3/audit_events`). */
@Entity('audit_events')
@Index(['targetGuid', 'createdAt'])
export class AuditEventEntity extends GuidEntity {
  /** e.g. audit.app.create, audit.app.start, app.crash */
  @Index()
  @Column({ type: 'text' })
  type!: string;

  @Column({ name: 'actor_guid', type: 'text' })
  actorGuid!: string;

  /** user, process (a crash), system */
  @Column({ name: 'actor_type', type: 'text' })
  actorType!: string;

  @Column({ name: 'actor_name', type: 'text' })
  actorName!: string;

  @Column({ name: 'target_guid', type: 'uuid' })
  targetGuid!: string;

  @Column({ name: 'target_type', type: 'text' })
  targetType!: string;

  @Column({ name: 'target_name', type: 'text' })
  targetName!: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  data!: Record<string, unknown>;

  @Index()
  @Column({ name: 'space_guid', type: 'uuid', nullable: true })
  spaceGuid!: string | null;

  @Column({ name: 'organization_guid', type: 'uuid', nullable: true })
  organizationGuid!: string | null;

  /** The API request (X-Vcap-Request-Id) that made the change; null for background work. */
  @Index()
  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId!: string | null;
}
