import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditActor, AuditEventRecordAction } from '@wharf/events';

/**
 * Identity's audit events: CF's `audit.organization.*`, `audit.space.*`, `audit.user.*` (roles
 * included) and the quotas'. An action's `actor` is null only for the platform's own first-run
 * setup (bootstrap, test fixtures), which records nothing, as no user asked for it. With
 * `manager`, the event is written in the change's transaction and commits with it.
 */
@Injectable()
export class IdentityAudit {
  constructor(private readonly events: AuditEventRecordAction) {}

  async organization(
    actor: AuditActor | null,
    type: 'create' | 'update' | 'delete-request',
    org: { guid: string; name: string },
    request: Record<string, unknown> = {},
    manager?: EntityManager,
  ): Promise<void> {
    if (!actor) return;
    await this.events.execute(
      {
        type: `audit.organization.${type}`,
        actor,
        target: { guid: org.guid, type: 'organization', name: org.name },
        data: { request },
        organizationGuid: org.guid,
      },
      manager,
    );
  }

  async space(
    actor: AuditActor | null,
    type: 'create' | 'update' | 'delete-request',
    space: { guid: string; name: string; organizationGuid: string },
    request: Record<string, unknown> = {},
    manager?: EntityManager,
  ): Promise<void> {
    if (!actor) return;
    await this.events.execute(
      {
        type: `audit.space.${type}`,
        actor,
        target: { guid: space.guid, type: 'space', name: space.name },
        data: { request },
        spaceGuid: space.guid,
        organizationGuid: space.organizationGuid,
      },
      manager,
    );
  }

  /** `audit.organization_quota.*` / `audit.space_quota.*`: quota changes, with the request. */
  async quota(
    actor: AuditActor | null,
    kind: 'organization_quota' | 'space_quota',
    type: 'create' | 'update' | 'delete-request' | 'apply' | 'remove',
    quota: { guid: string; name: string; organizationGuid?: string },
    data: Record<string, unknown> = {},
    manager?: EntityManager,
  ): Promise<void> {
    if (!actor) return;
    await this.events.execute(
      {
        type: `audit.${kind}.${type}`,
        actor,
        target: { guid: quota.guid, type: kind, name: quota.name },
        data,
        organizationGuid: quota.organizationGuid ?? null,
      },
      manager,
    );
  }

  /** `audit.user.*` about a login: never its password, only what happened. */
  async user(
    actor: AuditActor | null,
    type: 'create' | 'password_change' | 'delete-request' | 'logout',
    user: { guid: string; username: string },
    manager?: EntityManager,
  ): Promise<void> {
    if (!actor) return;
    await this.events.execute(
      {
        type: `audit.user.${type}`,
        actor,
        target: { guid: user.guid, type: 'user', name: user.username },
      },
      manager,
    );
  }

  /** CF's `audit.user.<role>_add` / `_remove`, targeting the user whose role changed. */
  async role(
    actor: AuditActor | null,
    change: 'add' | 'remove',
    role: {
      guid: string;
      type: string;
      userGuid: string;
      organizationGuid: string;
      spaceGuid: string | null;
    },
    username: string,
    manager?: EntityManager,
  ): Promise<void> {
    if (!actor) return;
    await this.events.execute(
      {
        type: `audit.user.${role.type}_${change}`,
        actor,
        target: { guid: role.userGuid, type: 'user', name: username },
        data: { role_guid: role.guid },
        spaceGuid: role.spaceGuid,
        organizationGuid: role.organizationGuid,
      },
      manager,
    );
  }
}
