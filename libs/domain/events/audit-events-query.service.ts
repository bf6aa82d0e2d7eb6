import { Injectable } from '@nestjs/common';
import { Visibility, visibleSpaceGuids } from '@wharf/access';
import { Page, PageRequest } from '@wharf/platform/db';
import { notFound } from '@wharf/platform/errors';
import { AuditEventEntity } from './audit-event.entity';
import { AuditEventFilter, AuditEventRepository } from './audit-event.repository';

/**
 * An event is visible when its space is; an organization's events outside any space (roles,
 * quotas, the organization itself) to its managers and auditors; the platform's own (users,
 * quotas not yet applied) only to admins.
 */
@Injectable()
export class AuditEventsQueryService {
  constructor(private readonly events: AuditEventRepository) {}

  async list(
    scope: Visibility,
    filter: AuditEventFilter,
    page: PageRequest,
  ): Promise<Page<AuditEventEntity>> {
    const spaces = visibleSpaceGuids(scope);
    return this.events.listPage(
      spaces === 'all' ? 'all' : { spaceGuids: spaces, organizationGuids: scope.auditedOrgGuids },
      filter,
      page,
    );
  }

  async get(scope: Visibility, guid: string): Promise<AuditEventEntity> {
    const event = await this.events.findByGuidUnscoped(guid);
    const spaces = visibleSpaceGuids(scope);
    const visible =
      event &&
      (spaces === 'all' ||
        (event.spaceGuid !== null && spaces.includes(event.spaceGuid)) ||
        (event.spaceGuid === null &&
          event.organizationGuid !== null &&
          scope.auditedOrgGuids.includes(event.organizationGuid)));
    if (!event || !visible) throw notFound('Audit event');
    return event;
  }
}
