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
import type { ListResponse } from '@wharf/contracts';
import {
  AppCreateAction,
  AppDeleteAction,
  AppEnvironmentService,
  AppEnvironmentUpdateAction,
  AppsQueryService,
  AppUpdateAction,
} from '@wharf/apps';
import { Principal, requireDeveloper, visibilityOf } from '@wharf/access';
import { actorOf } from '../common/actor';
import { ApiUrl } from '../common/api-url';
import { GuidPipe } from '../common/guid.pipe';
import { ListSpec, parseListQuery, Query as ListQuery } from '../common/list-query';
import { presentList } from '../common/list.presenter';
import { CurrentPrincipal } from '../common/principal.decorator';
import { AppCreateRequest } from './app-create.request';
import { AppEnvironmentVariablesRequest } from './app-environment-variables.request';
import { AppUpdateRequest } from './app-update.request';
import type { AppResource } from '@wharf/contracts';
import { AppPresenter } from './app.presenter';

const LIST: ListSpec = {
  orderBy: { created_at: 'createdAt', updated_at: 'updatedAt', name: 'name', state: 'state' },
  filters: ['names', 'guids', 'space_guids'],
};

@ApiTags('apps')
@ApiBearerAuth()
@Controller('v3/apps')
export class AppsController {
  constructor(
    private readonly query: AppsQueryService,
    private readonly createApp: AppCreateAction,
    private readonly updateApp: AppUpdateAction,
    private readonly deleteApp: AppDeleteAction,
    private readonly updateEnv: AppEnvironmentUpdateAction,
    private readonly environment: AppEnvironmentService,
    private readonly presenter: AppPresenter,
    private readonly url: ApiUrl,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List apps (filters: names, guids, space_guids)' })
  async list(
    @CurrentPrincipal() p: Principal,
    @Query() q: ListQuery,
  ): Promise<ListResponse<AppResource>> {
    const { page, filters } = parseListQuery(q, LIST);
    const result = await this.query.listApps(
      visibilityOf(p),
      { names: filters.names, guids: filters.guids, spaceGuids: filters.space_guids },
      page,
    );
    return presentList(result, this.url.base, '/v3/apps', q, (a) => this.presenter.present(a));
  }

  @Get(':guid')
  @ApiOperation({ summary: 'Get an app' })
  async get(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('App')) guid: string,
  ): Promise<AppResource> {
    return this.presenter.present(await this.query.getApp(visibilityOf(p), guid));
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create an app in a space (STOPPED until started)' })
  async create(
    @CurrentPrincipal() p: Principal,
    @Body() body: AppCreateRequest,
  ): Promise<AppResource> {
    const app = await this.createApp.execute({
      scope: visibilityOf(p),
      name: body.name,
      spaceGuid: body.relationships.space.data.guid.toLowerCase(),
      environmentVariables: body.environment_variables,
      lifecycle: body.lifecycle && { type: body.lifecycle.type, ...body.lifecycle.data },
      metadata: body.metadata,
      actor: actorOf(p),
    });
    return this.presenter.present(app);
  }

  @Patch(':guid')
  @ApiOperation({ summary: 'Update an app (name, lifecycle, metadata)' })
  async update(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('App')) guid: string,
    @Body() body: AppUpdateRequest,
  ): Promise<AppResource> {
    const app = await this.updateApp.execute({
      scope: visibilityOf(p),
      guid,
      name: body.name,
      lifecycle: body.lifecycle && { type: body.lifecycle.type, ...body.lifecycle.data },
      metadata: body.metadata,
      actor: actorOf(p),
    });
    return this.presenter.present(app);
  }

  @Delete(':guid')
  @HttpCode(202)
  @ApiOperation({ summary: 'Delete an app (202 + job)' })
  async remove(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('App')) guid: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    const { jobGuid } = await this.deleteApp.execute({
      scope: visibilityOf(p),
      principal: p,
      guid,
    });
    res.setHeader('Location', this.url.to(`/v3/jobs/${jobGuid}`));
  }

  @Get(':guid/env')
  @ApiOperation({
    summary: "The app's environment: its variables, VCAP_APPLICATION, VCAP_SERVICES, groups",
  })
  async env(@CurrentPrincipal() p: Principal, @Param('guid', new GuidPipe('App')) guid: string) {
    const env = await this.environment.describe(visibilityOf(p), guid);
    return {
      staging_env_json: env.stagingEnv,
      running_env_json: env.runningEnv,
      environment_variables: env.environmentVariables,
      system_env_json: { VCAP_SERVICES: env.vcapServices },
      application_env_json: { VCAP_APPLICATION: env.vcapApplication },
    };
  }

  @Get(':guid/environment_variables')
  @ApiOperation({ summary: "Get an app's own environment variables" })
  async getEnv(@CurrentPrincipal() p: Principal, @Param('guid', new GuidPipe('App')) guid: string) {
    const scope = visibilityOf(p);
    const app = await this.query.getApp(scope, guid);
    // Values may be secrets: space developers (and admins) only.
    requireDeveloper(scope, app.spaceGuid);
    return this.presenter.presentVariables(app, app.environmentVariables);
  }

  @Patch(':guid/environment_variables')
  @ApiOperation({
    summary: "Merge into an app's environment variables (null deletes); effective after restart",
  })
  async patchEnv(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('App')) guid: string,
    @Body() body: AppEnvironmentVariablesRequest,
  ) {
    const vars = await this.updateEnv.execute({
      scope: visibilityOf(p),
      guid,
      variables: body.var,
      actor: actorOf(p),
    });
    return this.presenter.presentVariables({ guid }, vars);
  }
}
