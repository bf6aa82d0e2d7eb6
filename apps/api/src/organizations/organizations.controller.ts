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
import type { ListResponse, OrganizationResource } from '@wharf/contracts';
import { Principal, visibilityOf } from '@wharf/access';
import {
  IdentityQueryService,
  OrganizationCreateAction,
  OrganizationDeleteAction,
  OrganizationUpdateAction,
} from '@wharf/identity';
import { actorOf } from '../common/actor';
import { ApiUrl } from '../common/api-url';
import { GuidPipe } from '../common/guid.pipe';
import { ListSpec, parseListQuery, Query as ListQuery } from '../common/list-query';
import { presentList } from '../common/list.presenter';
import { CurrentPrincipal } from '../common/principal.decorator';
import { OrganizationCreateRequest } from './organization-create.request';
import { OrganizationUpdateRequest } from './organization-update.request';
import { OrganizationPresenter } from './organization.presenter';

const LIST: ListSpec = {
  orderBy: { created_at: 'createdAt', updated_at: 'updatedAt', name: 'name' },
  filters: ['names', 'guids'],
};

@ApiTags('organizations')
@ApiBearerAuth()
@Controller('v3/organizations')
export class OrganizationsController {
  constructor(
    private readonly query: IdentityQueryService,
    private readonly createOrg: OrganizationCreateAction,
    private readonly updateOrg: OrganizationUpdateAction,
    private readonly deleteOrg: OrganizationDeleteAction,
    private readonly presenter: OrganizationPresenter,
    private readonly url: ApiUrl,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'List organizations (filters: names, guids; order_by: created_at, updated_at, name)',
  })
  async list(
    @CurrentPrincipal() p: Principal,
    @Query() q: ListQuery,
  ): Promise<ListResponse<OrganizationResource>> {
    const { page, filters } = parseListQuery(q, LIST);
    const result = await this.query.listOrganizations(
      visibilityOf(p),
      { names: filters.names, guids: filters.guids },
      page,
    );
    return presentList(result, this.url.base, '/v3/organizations', q, (o) =>
      this.presenter.present(o),
    );
  }

  @Get(':guid')
  @ApiOperation({ summary: 'Get an organization' })
  async get(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Organization')) guid: string,
  ): Promise<OrganizationResource> {
    return this.presenter.present(await this.query.getOrganization(visibilityOf(p), guid));
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create an organization' })
  async create(
    @CurrentPrincipal() p: Principal,
    @Body() body: OrganizationCreateRequest,
  ): Promise<OrganizationResource> {
    const org = await this.createOrg.execute({
      scope: visibilityOf(p),
      actor: actorOf(p),
      name: body.name,
      suspended: body.suspended,
      metadata: body.metadata,
    });
    return this.presenter.present(org);
  }

  @Patch(':guid')
  @ApiOperation({ summary: 'Update an organization (name, suspended, metadata)' })
  async update(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Organization')) guid: string,
    @Body() body: OrganizationUpdateRequest,
  ): Promise<OrganizationResource> {
    const org = await this.updateOrg.execute({
      scope: visibilityOf(p),
      actor: actorOf(p),
      guid,
      ...body,
    });
    return this.presenter.present(org);
  }

  @Delete(':guid')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Delete an empty organization (202 + job); refused while it has spaces',
  })
  async remove(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Organization')) guid: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    const { jobGuid } = await this.deleteOrg.execute({
      scope: visibilityOf(p),
      principal: p,
      actor: actorOf(p),
      guid,
    });
    res.setHeader('Location', this.url.to(`/v3/jobs/${jobGuid}`));
  }
}
