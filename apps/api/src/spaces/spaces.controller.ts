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
import type { ListResponse, SpaceResource } from '@wharf/contracts';
import { Principal, visibilityOf } from '@wharf/access';
import {
  IdentityQueryService,
  SpaceCreateAction,
  SpaceDeleteAction,
  SpaceUpdateAction,
} from '@wharf/identity';
import { actorOf } from '../common/actor';
import { ApiUrl } from '../common/api-url';
import { GuidPipe } from '../common/guid.pipe';
import { ListSpec, parseListQuery, Query as ListQuery } from '../common/list-query';
import { presentList } from '../common/list.presenter';
import { CurrentPrincipal } from '../common/principal.decorator';
import { SpaceCreateRequest } from './space-create.request';
import { SpaceUpdateRequest } from './space-update.request';
import { SpacePresenter } from './space.presenter';

const LIST: ListSpec = {
  orderBy: { created_at: 'createdAt', updated_at: 'updatedAt', name: 'name' },
  filters: ['names', 'guids', 'organization_guids'],
};

@ApiTags('spaces')
@ApiBearerAuth()
@Controller('v3/spaces')
export class SpacesController {
  constructor(
    private readonly query: IdentityQueryService,
    private readonly createSpace: SpaceCreateAction,
    private readonly updateSpace: SpaceUpdateAction,
    private readonly deleteSpace: SpaceDeleteAction,
    private readonly presenter: SpacePresenter,
    private readonly url: ApiUrl,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List spaces (filters: names, guids, organization_guids)' })
  async list(
    @CurrentPrincipal() p: Principal,
    @Query() q: ListQuery,
  ): Promise<ListResponse<SpaceResource>> {
    const { page, filters } = parseListQuery(q, LIST);
    const result = await this.query.listSpaces(
      visibilityOf(p),
      { names: filters.names, guids: filters.guids, organizationGuids: filters.organization_guids },
      page,
    );
    return presentList(result, this.url.base, '/v3/spaces', q, (s) => this.presenter.present(s));
  }

  @Get(':guid')
  @ApiOperation({ summary: 'Get a space' })
  async get(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Space')) guid: string,
  ): Promise<SpaceResource> {
    return this.presenter.present(await this.query.getSpace(visibilityOf(p), guid));
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a space in an organization' })
  async create(
    @CurrentPrincipal() p: Principal,
    @Body() body: SpaceCreateRequest,
  ): Promise<SpaceResource> {
    const space = await this.createSpace.execute({
      scope: visibilityOf(p),
      actor: actorOf(p),
      name: body.name,
      organizationGuid: body.relationships.organization.data.guid.toLowerCase(),
      metadata: body.metadata,
    });
    return this.presenter.present(space);
  }

  @Patch(':guid')
  @ApiOperation({ summary: 'Update a space (name, metadata)' })
  async update(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Space')) guid: string,
    @Body() body: SpaceUpdateRequest,
  ): Promise<SpaceResource> {
    const space = await this.updateSpace.execute({
      scope: visibilityOf(p),
      actor: actorOf(p),
      guid,
      ...body,
    });
    return this.presenter.present(space);
  }

  @Delete(':guid')
  @HttpCode(202)
  @ApiOperation({ summary: 'Delete an empty space (202 + job); refused while it has contents' })
  async remove(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Space')) guid: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    const { jobGuid } = await this.deleteSpace.execute({
      scope: visibilityOf(p),
      principal: p,
      actor: actorOf(p),
      guid,
    });
    res.setHeader('Location', this.url.to(`/v3/jobs/${jobGuid}`));
  }
}
