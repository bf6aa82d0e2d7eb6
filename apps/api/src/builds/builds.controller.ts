import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { BuildResource, ListResponse } from '@wharf/contracts';
import { Principal, visibilityOf } from '@wharf/access';
import { BuildCreateAction, BuildsQueryService, BuildState } from '@wharf/staging';
import { actorOf } from '../common/actor';
import { ApiUrl } from '../common/api-url';
import { GuidPipe } from '../common/guid.pipe';
import { ListSpec, parseListQuery, Query as ListQuery } from '../common/list-query';
import { presentList } from '../common/list.presenter';
import { CurrentPrincipal } from '../common/principal.decorator';
import { BuildCreateRequest } from './build-create.request';
import { BuildPresenter } from './build.presenter';

const LIST: ListSpec = {
  orderBy: { created_at: 'createdAt', updated_at: 'updatedAt' },
  filters: ['guids', 'states', 'app_guids'],
};

@ApiTags('builds')
@ApiBearerAuth()
@Controller('v3')
export class BuildsController {
  constructor(
    private readonly query: BuildsQueryService,
    private readonly createBuild: BuildCreateAction,
    private readonly presenter: BuildPresenter,
    private readonly url: ApiUrl,
  ) {}

  @Post('builds')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Stage a package: a build in STAGING, then STAGED with a droplet or FAILED',
  })
  async create(
    @CurrentPrincipal() p: Principal,
    @Body() body: BuildCreateRequest,
  ): Promise<BuildResource> {
    const build = await this.createBuild.execute({
      scope: visibilityOf(p),
      packageGuid: body.package.guid.toLowerCase(),
      buildpacks: body.lifecycle?.data?.buildpacks,
      stack: body.lifecycle?.data?.stack,
      stagingMemoryInMb: body.staging_memory_in_mb,
      stagingDiskInMb: body.staging_disk_in_mb,
      createdBy: { guid: p.userGuid, name: p.username },
      actor: actorOf(p),
    });
    return this.presenter.present(build);
  }

  @Get('builds')
  @ApiOperation({ summary: 'List builds (filters: guids, states, app_guids)' })
  async list(
    @CurrentPrincipal() p: Principal,
    @Query() q: ListQuery,
  ): Promise<ListResponse<BuildResource>> {
    const { page, filters } = parseListQuery(q, LIST);
    const result = await this.query.listBuilds(
      visibilityOf(p),
      {
        guids: filters.guids,
        states: filters.states as BuildState[] | undefined,
        appGuids: filters.app_guids,
      },
      page,
    );
    return presentList(result, this.url.base, '/v3/builds', q, (b) => this.presenter.present(b));
  }

  @Get('apps/:guid/builds')
  @ApiOperation({ summary: "List an app's builds" })
  async listForApp(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('App')) appGuid: string,
    @Query() q: ListQuery,
  ): Promise<ListResponse<BuildResource>> {
    const { page, filters } = parseListQuery(q, { orderBy: LIST.orderBy, filters: ['states'] });
    const result = await this.query.listBuilds(
      visibilityOf(p),
      { states: filters.states as BuildState[] | undefined, appGuids: [appGuid] },
      page,
    );
    return presentList(result, this.url.base, `/v3/apps/${appGuid}/builds`, q, (b) =>
      this.presenter.present(b),
    );
  }

  @Get('builds/:guid')
  @ApiOperation({ summary: 'Get a build' })
  async get(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Build')) guid: string,
  ): Promise<BuildResource> {
    return this.presenter.present(await this.query.getBuild(visibilityOf(p), guid));
  }
}
