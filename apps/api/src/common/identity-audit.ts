import { Injectable } from '@nestjs/common';
import { AuditEventRecordAction } from '@wharf/events';
import type { Principal } from '@wharf/access';
import { actorOf } from './actor';

/**
 * Audit events about organizations, spaces and users. They are recorded here, at the API's edge,
 * because the identity context sits below the events context and cannot call it.
 */
@Injectable()
export class IdentityAudit {
  constructor(private readonly events: AuditEventRecordAction) {}

  async organization(
    p: Principal,
    type: 'create' | 'update' | 'delete-request',
    org: { guid: string; name: string },
    request: Record<string, unknown> = {},
  ): Promise<void> {
    await this.events.execute({
      type: `audit.organization.${type}`,
      actor: actorOf(p),
      target: { guid: org.guid, type: 'organization', name: org.name },
      data: { request },
      organizationGuid: org.guid,
    });
  }

  async space(
    p: Principal,
    type: 'create' | 'update' | 'delete-request',
    space: { guid: string; name: string; organizationGuid: string },
    request: Record<string, unknown> = {},
  ): Promise<void> {
    await this.events.execute({
      type: `audit.space.${type}`,
      actor: actorOf(p),
      target: { guid: space.guid, type: 'space', name: space.name },
      data: { request },
      spaceGuid: space.guid,
      organizationGuid: space.organizationGuid,
    });
  }

  /** `audit.organization_quota.*` / `audit.space_quota.*`: quota changes, with the request. */
  async quota(
    p: Principal,
    kind: 'organization_quota' | 'space_quota',
    type: 'create' | 'update' | 'delete-request' | 'apply' | 'remove',
    quota: { guid: string; name: string; organizationGuid?: string },
    data: Record<string, unknown> = {},
  ): Promise<void> {
    await this.events.execute({
      type: `audit.${kind}.${type}`,
      actor: actorOf(p),
      target: { guid: quota.guid, type: kind, name: quota.name },
      data,
      organizationGuid: quota.organizationGuid ?? null,
    });
  }

  /** `audit.user.*` about a login: never its password, only what happened. */
  async user(
    p: Principal | { requestId?: string },
    type: string,
    user: { guid: string; name: string },
  ): Promise<void> {
    await this.events.execute({
      type: `audit.user.${type}`,
      actor:
        'userGuid' in p
          ? actorOf(p)
          : { guid: user.guid, type: 'user', name: user.name, requestId: p.requestId },
      target: { guid: user.guid, type: 'user', name: user.name },
    });
  }
}
