import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { ListResponse, SpaceQuotaResource } from '@wharf/contracts';
import { Principal, Visibility, visibilityOf } from '@wharf/access';
import {
  QuotaQueryService,
  SpaceQuotaApplyAction,
  SpaceQuotaCreateAction,
  SpaceQuotaDeleteAction,
  SpaceQuotaEntity,
  SpaceQuotaRemoveAction,
  SpaceQuotaUpdateAction,
} from '@wharf/identity';
import { ApiUrl } from '../common/api-url';
import { IdentityAudit } from '../common/identity-audit';
import { GuidPipe } from '../common/guid.pipe';
import { ListSpec, parseListQuery, Query as ListQuery } from '../common/list-query';
import { presentList } from '../common/list.presenter';
import { CurrentPrincipal } from '../common/principal.decorator';
import { QuotaPresenter } from './quota.presenter';
import {
  limitsOf,
  SpaceQuotaCreateRequest,
  SpaceQuotaUpdateRequest,
  ToManyRelationshipRequest,
} from './quota.request';

const LIST: ListSpec = {
  orderBy: { created_at: 'createdAt', updated_at: 'updatedAt', name: 'name' },
  filters: ['names', 'guids', 'organization_guids', 'space_guids'],
};

@ApiTags('space_quotas')
@ApiBearerAuth()
@Controller('v3/space_quotas')
export class SpaceQuotasController {
  constructor(
    private readonly query: QuotaQueryService,
    private readonly createQuota: SpaceQuotaCreateAction,
    private readonly updateQuota: SpaceQuotaUpdateAction,
    private readonly deleteQuota: SpaceQuotaDeleteAction,
    private readonly applyQuota: SpaceQuotaApplyAction,
    private readonly removeQuota: SpaceQuotaRemoveAction,
    private readonly presenter: QuotaPresenter,
    private readonly url: ApiUrl,
    private readonly audit: IdentityAudit,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'List space quotas (filters: names, guids, organization_guids, space_guids)',
  })
  async list(
    @CurrentPrincipal() p: Principal,
    @Query() q: ListQuery,
  ): Promise<ListResponse<SpaceQuotaResource>> {
    const { page, filters } = parseListQuery(q, LIST);
    const scope = visibilityOf(p);
    const result = await this.query.listSpaceQuotas(
      scope,
      {
        names: filters.names,
        guids: filters.guids,
        organizationGuids: filters.organization_guids,
        spaceGuids: filters.space_guids,
      },
      page,
    );
    const spaces = await Promise.all(
      result.items.map((quota) => this.query.spacesWith(scope, quota.guid)),
    );
    return presentList(result, this.url.base, '/v3/space_quotas', q, (quota) =>
      this.presenter.spaceQuota(quota, spaces[result.items.indexOf(quota)] ?? []),
    );
  }

  @Get(':guid')
  @ApiOperation({ summary: 'Get a space quota' })
  async get(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Space quota')) guid: string,
  ): Promise<SpaceQuotaResource> {
    const scope = visibilityOf(p);
    return this.present(scope, await this.query.getSpaceQuota(scope, guid));
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a space quota (admin or organization manager)' })
  async create(
    @CurrentPrincipal() p: Principal,
    @Body() body: SpaceQuotaCreateRequest,
  ): Promise<SpaceQuotaResource> {
    const scope = visibilityOf(p);
    const quota = await this.createQuota.execute({
      scope,
      name: body.name,
      organizationGuid: body.relationships.organization.data.guid,
      limits: limitsOf(body),
      spaceGuids: body.relationships.spaces?.data.map((d) => d.guid),
    });
    await this.audit.quota(p, 'space_quota', 'create', quota, { request: { ...body } });
    return this.present(scope, quota);
  }

  @Patch(':guid')
  @ApiOperation({ summary: 'Update a space quota (admin or organization manager)' })
  async update(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Space quota')) guid: string,
    @Body() body: SpaceQuotaUpdateRequest,
  ): Promise<SpaceQuotaResource> {
    const scope = visibilityOf(p);
    const quota = await this.updateQuota.execute({
      scope,
      guid,
      name: body.name,
      limits: limitsOf(body),
    });
    await this.audit.quota(p, 'space_quota', 'update', quota, { request: { ...body } });
    return this.present(scope, quota);
  }

  @Delete(':guid')
  @HttpCode(202)
  @ApiOperation({ summary: 'Delete a space quota (202 + job); refused while applied' })
  async remove(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Space quota')) guid: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    const quota = await this.query.getSpaceQuota(visibilityOf(p), guid);
    const { jobGuid } = await this.deleteQuota.execute({
      scope: visibilityOf(p),
      principal: p,
      guid,
    });
    await this.audit.quota(p, 'space_quota', 'delete-request', quota);
    res.setHeader('Location', this.url.to(`/v3/jobs/${jobGuid}`));
  }

  @Post(':guid/relationships/spaces')
  @HttpCode(200)
  @ApiOperation({ summary: 'Apply a space quota to spaces of its organization' })
  async apply(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Space quota')) guid: string,
    @Body() body: ToManyRelationshipRequest,
  ) {
    const guids = await this.applyQuota.execute({
      scope: visibilityOf(p),
      guid,
      spaceGuids: body.data.map((d) => d.guid),
    });
    await this.audit.quota(
      p,
      'space_quota',
      'apply',
      await this.query.getSpaceQuota(visibilityOf(p), guid),
      {
        space_guids: body.data.map((d) => d.guid),
      },
    );
    return this.presenter.relationship(`/v3/space_quotas/${guid}/relationships/spaces`, guids);
  }

  @Delete(':guid/relationships/spaces/:spaceGuid')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a space quota from a space' })
  async unapply(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Space quota')) guid: string,
    @Param('spaceGuid', new GuidPipe('Space')) spaceGuid: string,
  ): Promise<void> {
    await this.removeQuota.execute({ scope: visibilityOf(p), guid, spaceGuid });
    await this.audit.quota(
      p,
      'space_quota',
      'remove',
      await this.query.getSpaceQuota(visibilityOf(p), guid),
      {
        space_guid: spaceGuid,
      },
    );
  }

  private async present(scope: Visibility, quota: SpaceQuotaEntity): Promise<SpaceQuotaResource> {
    return this.presenter.spaceQuota(quota, await this.query.spacesWith(scope, quota.guid));
  }
}
