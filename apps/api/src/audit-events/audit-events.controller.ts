import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuditEventResource, ListResponse } from '@wharf/contracts';
import { AuditEventEntity, AuditEventsQueryService } from '@wharf/events';
import { Principal, visibilityOf } from '@wharf/access';
import { ApiUrl } from '../common/api-url';
import { GuidPipe } from '../common/guid.pipe';
import { ListSpec, parseListQuery, Query as ListQuery } from '../common/list-query';
import { iso, presentList } from '../common/list.presenter';
import { CurrentPrincipal } from '../common/principal.decorator';

const LIST: ListSpec = {
  orderBy: { created_at: 'createdAt', updated_at: 'updatedAt' },
  filters: ['types', 'target_guids', 'space_guids', 'organization_guids'],
};

@ApiTags('audit events')
@ApiBearerAuth()
@Controller('v3/audit_events')
export class AuditEventsController {
  constructor(
    private readonly query: AuditEventsQueryService,
    private readonly url: ApiUrl,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'List audit events (filters: types, target_guids, space_guids, organization_guids)',
  })
  async list(
    @CurrentPrincipal() p: Principal,
    @Query() q: ListQuery,
  ): Promise<ListResponse<AuditEventResource>> {
    const { page, filters } = parseListQuery(q, LIST);
    const result = await this.query.list(
      visibilityOf(p),
      {
        types: filters.types,
        targetGuids: filters.target_guids,
        spaceGuids: filters.space_guids,
        organizationGuids: filters.organization_guids,
      },
      page,
    );
    return presentList(result, this.url.base, '/v3/audit_events', q, (e) => this.present(e));
  }

  @Get(':guid')
  @ApiOperation({ summary: 'Get an audit event' })
  async get(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Audit event')) guid: string,
  ): Promise<AuditEventResource> {
    return this.present(await this.query.get(visibilityOf(p), guid));
  }

  private present(e: AuditEventEntity): AuditEventResource {
    return {
      guid: e.guid,
      created_at: iso(e.createdAt),
      updated_at: iso(e.updatedAt),
      type: e.type,
      actor: {
        guid: e.actorGuid,
        type: e.actorType as AuditEventResource['actor']['type'],
        name: e.actorName,
      },
      target: { guid: e.targetGuid, type: e.targetType, name: e.targetName },
      data: e.data,
      space: e.spaceGuid ? { guid: e.spaceGuid } : null,
      organization: e.organizationGuid ? { guid: e.organizationGuid } : null,
      links: { self: { href: this.url.to(`/v3/audit_events/${e.guid}`) } },
    };
  }
}
