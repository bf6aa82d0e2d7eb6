import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AppsQueryService,
  TaskCancelAction,
  TaskCreateAction,
  TaskEntity,
  TaskFilter,
  TasksQueryService,
  TaskUpdateAction,
} from '@wharf/apps';
import { mayDevelop, Principal, visibilityOf } from '@wharf/access';
import type { ListResponse, TaskResource } from '@wharf/contracts';
import { CommonErrorCode, commonError } from '@wharf/platform/errors';
import { actorOf } from '../common/actor';
import { ApiUrl } from '../common/api-url';
import { GuidPipe } from '../common/guid.pipe';
import { ListSpec, parseListQuery, Query as ListQuery } from '../common/list-query';
import { presentList } from '../common/list.presenter';
import { CurrentPrincipal } from '../common/principal.decorator';
import { TaskCreateRequest, TaskUpdateRequest } from './task-create.request';
import { TaskPresenter } from './task.presenter';

const ORDER = { created_at: 'createdAt', updated_at: 'updatedAt' };
const LIST: ListSpec = {
  orderBy: ORDER,
  filters: ['guids', 'names', 'states', 'app_guids', 'space_guids'],
};
const APP_LIST: ListSpec = {
  orderBy: ORDER,
  filters: ['guids', 'names', 'states', 'sequence_ids'],
};

function sequenceIdsOf(values: string[] | undefined): number[] | undefined {
  if (!values) return undefined;
  if (values.some((v) => !/^\d{1,9}$/.test(v)))
    throw commonError(CommonErrorCode.BadQueryParameter, 'Sequence ids must be a list of integers');
  return values.map(Number);
}

/** CF's tasks: one-off commands on an app's droplet, their states and cancel. */
@ApiTags('tasks')
@ApiBearerAuth()
@Controller('v3')
export class TasksController {
  constructor(
    private readonly query: TasksQueryService,
    private readonly apps: AppsQueryService,
    private readonly create: TaskCreateAction,
    private readonly cancelTask: TaskCancelAction,
    private readonly updateTask: TaskUpdateAction,
    private readonly presenter: TaskPresenter,
    private readonly url: ApiUrl,
  ) {}

  @Post('apps/:guid/tasks')
  @HttpCode(202)
  @ApiOperation({ summary: "Run a task on the app's droplet (or the droplet named)" })
  async createTask(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('App')) appGuid: string,
    @Body() body: TaskCreateRequest,
  ): Promise<TaskResource> {
    const task = await this.create.execute({
      scope: visibilityOf(p),
      appGuid,
      command: body.command,
      name: body.name,
      memoryInMb: body.memory_in_mb,
      diskInMb: body.disk_in_mb,
      dropletGuid: body.droplet_guid,
      templateProcessGuid: body.template?.process.guid,
      metadata: body.metadata,
      actor: actorOf(p),
    });
    return this.presenter.present(task, true);
  }

  @Get('apps/:guid/tasks')
  @ApiOperation({ summary: "List an app's tasks (filters: guids, names, states, sequence_ids)" })
  async listForApp(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('App')) appGuid: string,
    @Query() q: ListQuery,
  ): Promise<ListResponse<TaskResource>> {
    const { page, filters } = parseListQuery(q, APP_LIST);
    const result = await this.query.listForApp(
      visibilityOf(p),
      appGuid,
      { ...this.filterOf(filters), sequenceIds: sequenceIdsOf(filters.sequence_ids) },
      page,
    );
    return presentList(result, this.url.base, `/v3/apps/${appGuid}/tasks`, q, (t) =>
      this.presenter.present(t, false),
    );
  }

  @Get('tasks')
  @ApiOperation({ summary: 'List tasks (filters: guids, names, states, app_guids, space_guids)' })
  async list(
    @CurrentPrincipal() p: Principal,
    @Query() q: ListQuery,
  ): Promise<ListResponse<TaskResource>> {
    const { page, filters } = parseListQuery(q, LIST);
    const result = await this.query.list(
      visibilityOf(p),
      { ...this.filterOf(filters), appGuids: filters.app_guids, spaceGuids: filters.space_guids },
      page,
    );
    return presentList(result, this.url.base, '/v3/tasks', q, (t) =>
      this.presenter.present(t, false),
    );
  }

  @Get('tasks/:guid')
  @ApiOperation({ summary: 'Get a task (its command for space developers)' })
  async get(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Task')) guid: string,
  ): Promise<TaskResource> {
    return this.presentOne(p, await this.query.get(visibilityOf(p), guid));
  }

  @Patch('tasks/:guid')
  @ApiOperation({ summary: "Update a task's metadata" })
  async update(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Task')) guid: string,
    @Body() body: TaskUpdateRequest,
  ): Promise<TaskResource> {
    const task = await this.updateTask.execute({
      scope: visibilityOf(p),
      guid,
      metadata: body.metadata,
    });
    return this.presentOne(p, task);
  }

  @Post('tasks/:guid/actions/cancel')
  @HttpCode(202)
  @ApiOperation({ summary: 'Cancel a task: SIGTERM, then SIGKILL after 10 s' })
  async cancel(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Task')) guid: string,
  ): Promise<TaskResource> {
    const task = await this.cancelTask.execute({ scope: visibilityOf(p), guid, actor: actorOf(p) });
    return this.presentOne(p, task);
  }

  @Put('tasks/:guid/cancel')
  @HttpCode(202)
  @ApiOperation({ summary: 'Cancel a task (the older path CF still answers)', deprecated: true })
  async cancelDeprecated(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Task')) guid: string,
  ): Promise<TaskResource> {
    return this.cancel(p, guid);
  }

  private filterOf(filters: Record<string, string[] | undefined>): TaskFilter {
    return { guids: filters.guids, names: filters.names, states: filters.states };
  }

  private async presentOne(p: Principal, task: TaskEntity): Promise<TaskResource> {
    const scope = visibilityOf(p);
    const app = await this.apps.findApp(scope, task.appGuid);
    return this.presenter.present(task, !!app && mayDevelop(scope, app.spaceGuid));
  }
}
