import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { ListResponse, RoleResource } from '@wharf/contracts';
import { Principal, visibilityOf } from '@wharf/access';
import { IdentityQueryService, RoleCreateAction, RoleDeleteAction } from '@wharf/identity';
import { commonError, CommonErrorCode } from '@wharf/platform/errors';
import { actorOf } from '../common/actor';
import { ApiUrl } from '../common/api-url';
import { GuidPipe } from '../common/guid.pipe';
import { ListSpec, parseListQuery, Query as ListQuery } from '../common/list-query';
import { presentList } from '../common/list.presenter';
import { CurrentPrincipal } from '../common/principal.decorator';
import { RoleCreateRequest } from './role-create.request';
import { RolePresenter } from './role.presenter';

const LIST: ListSpec = {
  orderBy: { created_at: 'createdAt', updated_at: 'updatedAt' },
  filters: ['guids', 'types', 'user_guids', 'organization_guids', 'space_guids', 'include'],
};

/** CF's /v3/roles: who may do what in which organization or space. */
@ApiTags('roles')
@ApiBearerAuth()
@Controller('v3/roles')
export class RolesController {
  constructor(
    private readonly query: IdentityQueryService,
    private readonly createRole: RoleCreateAction,
    private readonly deleteRole: RoleDeleteAction,
    private readonly presenter: RolePresenter,
    private readonly url: ApiUrl,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'List roles (filters: guids, types, user_guids, organization_guids, space_guids; include=user)',
  })
  async list(
    @CurrentPrincipal() p: Principal,
    @Query() q: ListQuery,
  ): Promise<ListResponse<RoleResource>> {
    const { page, filters } = parseListQuery(q, LIST);
    const include = filters.include ?? [];
    const unknown = include.filter((i) => i !== 'user');
    if (unknown.length) {
      throw commonError(
        CommonErrorCode.BadQueryParameter,
        `Invalid included resource: '${unknown.join("', '")}'. Valid included resources are: 'user'`,
      );
    }
    const result = await this.query.listRoles(
      visibilityOf(p),
      {
        guids: filters.guids,
        types: filters.types,
        userGuids: filters.user_guids,
        organizationGuids: filters.organization_guids,
        spaceGuids: filters.space_guids,
      },
      page,
    );
    const body = presentList(result, this.url.base, '/v3/roles', q, (r) =>
      this.presenter.present(r),
    );
    if (include.includes('user')) {
      const users = await this.query.usersByGuids([
        ...new Set(result.items.map((r) => r.userGuid)),
      ]);
      body.included = { users: users.map((u) => this.presenter.presentUser(u)) };
    }
    return body;
  }

  @Get(':guid')
  @ApiOperation({ summary: 'Get a role' })
  async get(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Role')) guid: string,
  ): Promise<RoleResource> {
    return this.presenter.present(await this.query.getRole(visibilityOf(p), guid));
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Give a user a role in an organization or a space' })
  async create(
    @CurrentPrincipal() p: Principal,
    @Body() body: RoleCreateRequest,
  ): Promise<RoleResource> {
    const role = await this.createRole.execute({
      scope: visibilityOf(p),
      actor: actorOf(p),
      type: body.type,
      user: body.relationships.user.data,
      organizationGuid: body.relationships.organization?.data.guid,
      spaceGuid: body.relationships.space?.data.guid,
    });
    return this.presenter.present(role);
  }

  @Delete(':guid')
  @HttpCode(202)
  @ApiOperation({ summary: 'Remove a role (202 + job)' })
  async remove(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Role')) guid: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    const { jobGuid } = await this.deleteRole.execute({
      scope: visibilityOf(p),
      principal: p,
      actor: actorOf(p),
      guid,
    });
    res.setHeader('Location', this.url.to(`/v3/jobs/${jobGuid}`));
  }
}
