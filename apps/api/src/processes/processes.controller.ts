import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AppsQueryService,
  ProcessEntity,
  ProcessesQueryService,
  ProcessScaleAction,
  ProcessUpdateAction,
} from '@wharf/apps';
import { Principal, visibilityOf } from '@wharf/access';
import { actorOf } from '../common/actor';
import { ApiUrl } from '../common/api-url';
import { GuidPipe } from '../common/guid.pipe';
import { ListSpec, parseListQuery, Query as ListQuery } from '../common/list-query';
import { presentList } from '../common/list.presenter';
import { CurrentPrincipal } from '../common/principal.decorator';
import { ProcessScaleRequest } from './process-scale.request';
import { ProcessUpdateRequest } from './process-update.request';
import type { ListResponse, ProcessResource, ProcessStatsResponse } from '@wharf/contracts';
import { InstanceRestartAction, ProcessStatsService } from '@wharf/scheduling';
import { notFound } from '@wharf/platform/errors';
import { ProcessPresenter } from './process.presenter';

const LIST: ListSpec = {
  orderBy: { created_at: 'createdAt', updated_at: 'updatedAt' },
  filters: ['guids', 'types', 'app_guids'],
};
const APP_LIST: ListSpec = { orderBy: LIST.orderBy, filters: ['types'] };

@ApiTags('processes')
@ApiBearerAuth()
@Controller('v3')
export class ProcessesController {
  constructor(
    private readonly query: ProcessesQueryService,
    private readonly scaleProcess: ProcessScaleAction,
    private readonly updateProcess: ProcessUpdateAction,
    private readonly presenter: ProcessPresenter,
    private readonly apps: AppsQueryService,
    private readonly statsService: ProcessStatsService,
    private readonly restartInstance: InstanceRestartAction,
    private readonly url: ApiUrl,
  ) {}

  @Get('processes')
  @ApiOperation({
    summary: 'List processes (filters: guids, types, app_guids); commands are hidden in lists',
  })
  async list(
    @CurrentPrincipal() p: Principal,
    @Query() q: ListQuery,
  ): Promise<ListResponse<ProcessResource>> {
    const { page, filters } = parseListQuery(q, LIST);
    const result = await this.query.listProcesses(
      visibilityOf(p),
      { guids: filters.guids, types: filters.types, appGuids: filters.app_guids },
      page,
    );
    return presentList(result, this.url.base, '/v3/processes', q, (x) =>
      this.presenter.present(x, { inList: true }),
    );
  }

  @Get('apps/:guid/processes')
  @ApiOperation({ summary: "List an app's processes" })
  async listForApp(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('App')) appGuid: string,
    @Query() q: ListQuery,
  ): Promise<ListResponse<ProcessResource>> {
    const { page, filters } = parseListQuery(q, APP_LIST);
    const result = await this.query.listForApp(
      visibilityOf(p),
      appGuid,
      { types: filters.types },
      page,
    );
    return presentList(result, this.url.base, `/v3/apps/${appGuid}/processes`, q, (x) =>
      this.presenter.present(x, { inList: true }),
    );
  }

  @Get('apps/:guid/processes/:type')
  @ApiOperation({ summary: "Get an app's process by type" })
  async getByType(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('App')) appGuid: string,
    @Param('type') type: string,
  ): Promise<ProcessResource> {
    return this.present(p, await this.query.getByType(visibilityOf(p), appGuid, type));
  }

  @Get('apps/:guid/processes/:type/stats')
  @ApiOperation({ summary: "Stats of each instance of an app's process" })
  async statsByType(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('App')) appGuid: string,
    @Param('type') type: string,
  ): Promise<ProcessStatsResponse> {
    const process = await this.query.getByType(visibilityOf(p), appGuid, type);
    return { resources: await this.statsService.stats(visibilityOf(p), process.guid) };
  }

  @Get('processes/:guid/stats')
  @ApiOperation({ summary: 'Stats of each instance of a process (state, usage, address)' })
  async stats(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Process')) guid: string,
  ): Promise<ProcessStatsResponse> {
    return { resources: await this.statsService.stats(visibilityOf(p), guid) };
  }

  @Delete('apps/:guid/processes/:type/instances/:index')
  @HttpCode(204)
  @ApiOperation({ summary: 'Restart one instance: it is stopped and replaced by a new one' })
  async restartOne(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('App')) appGuid: string,
    @Param('type') type: string,
    @Param('index') index: string,
  ): Promise<void> {
    if (!/^\d+$/.test(index)) throw notFound('Instance');
    await this.restartInstance.execute({
      scope: visibilityOf(p),
      appGuid,
      type,
      index: Number(index),
      actor: actorOf(p),
    });
  }

  @Post('apps/:guid/processes/:type/actions/scale')
  @HttpCode(202)
  @ApiOperation({ summary: "Scale an app's process by type (instances, memory_in_mb, disk_in_mb)" })
  async scaleByType(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('App')) appGuid: string,
    @Param('type') type: string,
    @Body() body: ProcessScaleRequest,
  ): Promise<ProcessResource> {
    const process = await this.query.getByType(visibilityOf(p), appGuid, type);
    return this.scale(p, process.guid, body);
  }

  @Get('processes/:guid')
  @ApiOperation({ summary: 'Get a process' })
  async get(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Process')) guid: string,
  ): Promise<ProcessResource> {
    return this.present(p, await this.query.getProcess(visibilityOf(p), guid));
  }

  private async present(p: Principal, process: ProcessEntity): Promise<ProcessResource> {
    const app = await this.apps.getApp(visibilityOf(p), process.appGuid);
    return this.presenter.present(process, {
      detectedCommand: app.dropletProcessTypes[process.type] ?? null,
    });
  }

  @Patch('processes/:guid')
  @ApiOperation({ summary: 'Update the command or health check of a process' })
  async update(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Process')) guid: string,
    @Body() body: ProcessUpdateRequest,
  ): Promise<ProcessResource> {
    const hc = body.health_check;
    const process = await this.updateProcess.execute({
      scope: visibilityOf(p),
      guid,
      actor: actorOf(p),
      command: body.command,
      healthCheck: hc && {
        type: hc.type,
        timeout: hc.data?.timeout,
        invocationTimeout: hc.data?.invocation_timeout,
        interval: hc.data?.interval,
        endpoint: hc.data?.endpoint,
      },
    });
    return this.present(p, process);
  }

  @Post('processes/:guid/actions/scale')
  @HttpCode(202)
  @ApiOperation({ summary: 'Scale a process (instances, memory_in_mb, disk_in_mb)' })
  async scaleProcessByGuid(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Process')) guid: string,
    @Body() body: ProcessScaleRequest,
  ): Promise<ProcessResource> {
    return this.scale(p, guid, body);
  }

  private async scale(
    p: Principal,
    guid: string,
    body: ProcessScaleRequest,
  ): Promise<ProcessResource> {
    const process = await this.scaleProcess.execute({
      scope: visibilityOf(p),
      guid,
      instances: body.instances,
      memoryInMb: body.memory_in_mb,
      diskInMb: body.disk_in_mb,
      actor: actorOf(p),
    });
    return this.present(p, process);
  }
}
