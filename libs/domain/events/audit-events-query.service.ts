import { Injectable } from '@nestjs/common';
import { IdentityQueryService, Visibility } from '@wharf/identity';
import { Page, PageRequest } from '@wharf/platform/db';
import { notFound } from '@wharf/platform/errors';
import { AuditEventEntity } from './audit-event.entity';
import { AuditEventFilter, AuditEventRepository } from './audit-event.repository';

/** An event is visible when its space is; events outside any space only to admins. */
@Injectable()
export class AuditEventsQueryService {
  constructor(
    private readonly events: AuditEventRepository,
    private readonly identity: IdentityQueryService,
  ) {}

  async list(
    scope: Visibility,
    filter: AuditEventFilter,
    page: PageRequest,
  ): Promise<Page<AuditEventEntity>> {
    return this.events.listPage(await this.identity.visibleSpaceGuids(scope), filter, page);
  }

  async get(scope: Visibility, guid: string): Promise<AuditEventEntity> {
    const event = await this.events.findByGuidUnscoped(guid);
    const spaces = await this.identity.visibleSpaceGuids(scope);
    const visible =
      event && (spaces === 'all' || (event.spaceGuid !== null && spaces.includes(event.spaceGuid)));
    if (!event || !visible) throw notFound('Audit event');
    return event;
  }
}
