import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID } from 'class-validator';
import type { Response } from 'express';
import type { ListResponse, UserResource } from '@wharf/contracts';
import { notAuthorized, Principal, visibilityOf } from '@wharf/access';
import { IdentityQueryService, UserDeleteAction } from '@wharf/identity';
import { commonError, CommonErrorCode } from '@wharf/platform/errors';
import { actorOf } from '../common/actor';
import { ApiUrl } from '../common/api-url';
import { GuidPipe } from '../common/guid.pipe';
import { ListSpec, parseListQuery, Query as ListQuery } from '../common/list-query';
import { presentList } from '../common/list.presenter';
import { CurrentPrincipal } from '../common/principal.decorator';
import { RolePresenter } from '../roles/role.presenter';

const LIST: ListSpec = {
  orderBy: { created_at: 'createdAt', updated_at: 'updatedAt' },
  filters: ['guids', 'usernames', 'origins'],
};

export class UserCreateRequest {
  @ApiPropertyOptional({ description: 'The guid of a user created in UAA (POST /Users)' })
  @IsOptional()
  @IsUUID()
  guid?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  username?: string;

  @ApiPropertyOptional({ example: 'uaa' })
  @IsOptional()
  @IsString()
  origin?: string;
}

/**
 * CF's /v3/users. Wharf's UAA and Cloud Controller share one user table, so "creating" the CF user
 * of a UAA login (what `cf create-user` does after POST /Users) finds it rather than copying it.
 */
@ApiTags('users')
@ApiBearerAuth()
@Controller('v3/users')
export class UsersController {
  constructor(
    private readonly query: IdentityQueryService,
    private readonly deleteUser: UserDeleteAction,
    private readonly presenter: RolePresenter,
    private readonly url: ApiUrl,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List users (filters: guids, usernames, origins)' })
  async list(
    @CurrentPrincipal() p: Principal,
    @Query() q: ListQuery,
  ): Promise<ListResponse<UserResource>> {
    const { page, filters } = parseListQuery(q, LIST);
    const result = await this.query.listUsers(
      p,
      { guids: filters.guids, usernames: filters.usernames, origins: filters.origins },
      page,
    );
    return presentList(result, this.url.base, '/v3/users', q, (u) => this.presenter.presentUser(u));
  }

  @Get(':guid')
  @ApiOperation({ summary: 'Get a user' })
  async get(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('User')) guid: string,
  ): Promise<UserResource> {
    return this.presenter.presentUser(await this.query.getUser(p, guid));
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Register a UAA user with the Cloud Controller (admins)' })
  async create(
    @CurrentPrincipal() p: Principal,
    @Body() body: UserCreateRequest,
  ): Promise<UserResource> {
    if (!visibilityOf(p).all) throw notAuthorized();
    const found = body.guid
      ? await this.query.getUser(p, body.guid).catch(() => null)
      : body.username
        ? await this.query.findUserByName(p, body.username, body.origin)
        : null;
    if (!found) {
      throw commonError(
        CommonErrorCode.UnprocessableEntity,
        body.guid || body.username
          ? 'No such user in UAA: create it there first (POST /Users, or wharf create-user).'
          : 'Give the guid, or the username and origin, of a UAA user.',
      );
    }
    return this.presenter.presentUser(found);
  }

  @Delete(':guid')
  @HttpCode(202)
  @ApiOperation({ summary: 'Delete a user with their roles and sessions (admins; 202 + job)' })
  async remove(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('User')) guid: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    const { jobGuid } = await this.deleteUser.execute({
      scope: visibilityOf(p),
      principal: p,
      actor: actorOf(p),
      guid,
    });
    res.setHeader('Location', this.url.to(`/v3/jobs/${jobGuid}`));
  }
}
