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
import type { ListResponse, OrganizationQuotaResource } from '@wharf/contracts';
import { Principal, Visibility, visibilityOf } from '@wharf/access';
import {
  OrganizationQuotaApplyAction,
  OrganizationQuotaCreateAction,
  OrganizationQuotaDeleteAction,
  OrganizationQuotaEntity,
  OrganizationQuotaUpdateAction,
  QuotaQueryService,
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
  OrganizationQuotaCreateRequest,
  OrganizationQuotaUpdateRequest,
  ToManyRelationshipRequest,
} from './quota.request';

const LIST: ListSpec = {
  orderBy: { created_at: 'createdAt', updated_at: 'updatedAt', name: 'name' },
  filters: ['names', 'guids', 'organization_guids'],
};

@ApiTags('organization_quotas')
@ApiBearerAuth()
@Controller('v3/organization_quotas')
export class OrganizationQuotasController {
  constructor(
    private readonly query: QuotaQueryService,
    private readonly createQuota: OrganizationQuotaCreateAction,
    private readonly updateQuota: OrganizationQuotaUpdateAction,
    private readonly deleteQuota: OrganizationQuotaDeleteAction,
    private readonly applyQuota: OrganizationQuotaApplyAction,
    private readonly presenter: QuotaPresenter,
    private readonly url: ApiUrl,
    private readonly audit: IdentityAudit,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'List organization quotas (filters: names, guids, organization_guids)',
  })
  async list(
    @CurrentPrincipal() p: Principal,
    @Query() q: ListQuery,
  ): Promise<ListResponse<OrganizationQuotaResource>> {
    const { page, filters } = parseListQuery(q, LIST);
    const scope = visibilityOf(p);
    const result = await this.query.listOrganizationQuotas(
      scope,
      { names: filters.names, guids: filters.guids, organizationGuids: filters.organization_guids },
      page,
    );
    const orgs = await Promise.all(
      result.items.map((quota) => this.query.organizationsUsing(scope, quota.guid)),
    );
    return presentList(result, this.url.base, '/v3/organization_quotas', q, (quota) =>
      this.presenter.organizationQuota(quota, orgs[result.items.indexOf(quota)] ?? []),
    );
  }

  @Get(':guid')
  @ApiOperation({ summary: 'Get an organization quota' })
  async get(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Organization quota')) guid: string,
  ): Promise<OrganizationQuotaResource> {
    const scope = visibilityOf(p);
    return this.present(scope, await this.query.getOrganizationQuota(scope, guid));
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create an organization quota (admin)' })
  async create(
    @CurrentPrincipal() p: Principal,
    @Body() body: OrganizationQuotaCreateRequest,
  ): Promise<OrganizationQuotaResource> {
    const scope = visibilityOf(p);
    const quota = await this.createQuota.execute({
      scope,
      name: body.name,
      limits: limitsOf(body),
      totalDomains: body.domains?.total_domains,
      organizationGuids: body.relationships?.organizations?.data.map((d) => d.guid),
    });
    await this.audit.quota(p, 'organization_quota', 'create', quota, { request: { ...body } });
    return this.present(scope, quota);
  }

  @Patch(':guid')
  @ApiOperation({ summary: 'Update an organization quota (admin)' })
  async update(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Organization quota')) guid: string,
    @Body() body: OrganizationQuotaUpdateRequest,
  ): Promise<OrganizationQuotaResource> {
    const scope = visibilityOf(p);
    const quota = await this.updateQuota.execute({
      scope,
      guid,
      name: body.name,
      limits: limitsOf(body),
      totalDomains: body.domains?.total_domains,
    });
    await this.audit.quota(p, 'organization_quota', 'update', quota, { request: { ...body } });
    return this.present(scope, quota);
  }

  @Delete(':guid')
  @HttpCode(202)
  @ApiOperation({ summary: 'Delete an organization quota (202 + job); refused while applied' })
  async remove(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Organization quota')) guid: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    const quota = await this.query.getOrganizationQuota(visibilityOf(p), guid);
    const { jobGuid } = await this.deleteQuota.execute({
      scope: visibilityOf(p),
      principal: p,
      guid,
    });
    await this.audit.quota(p, 'organization_quota', 'delete-request', quota);
    res.setHeader('Location', this.url.to(`/v3/jobs/${jobGuid}`));
  }

  @Post(':guid/relationships/organizations')
  @HttpCode(200)
  @ApiOperation({ summary: 'Apply an organization quota to organizations (admin)' })
  async apply(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Organization quota')) guid: string,
    @Body() body: ToManyRelationshipRequest,
  ) {
    const guids = await this.applyQuota.execute({
      scope: visibilityOf(p),
      guid,
      organizationGuids: body.data.map((d) => d.guid),
    });
    const quota = await this.query.getOrganizationQuota(visibilityOf(p), guid);
    await this.audit.quota(p, 'organization_quota', 'apply', quota, {
      organization_guids: body.data.map((d) => d.guid),
    });
    return this.presenter.relationship(
      `/v3/organization_quotas/${guid}/relationships/organizations`,
      guids,
    );
  }

  private async present(
    scope: Visibility,
    quota: OrganizationQuotaEntity,
  ): Promise<OrganizationQuotaResource> {
    return this.presenter.organizationQuota(
      quota,
      await this.query.organizationsUsing(scope, quota.guid),
    );
  }
}
