import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AppsQueryService,
  DeploymentCancelAction,
  DeploymentContinueAction,
  DeploymentCreateAction,
  DeploymentEntity,
  DeploymentsQueryService,
  DeploymentUpdateAction,
  ProcessesQueryService,
} from '@wharf/apps';
import { Principal, visibilityOf } from '@wharf/access';
import type { DeploymentResource, ListResponse } from '@wharf/contracts';
import { actorOf } from '../common/actor';
import { ApiUrl } from '../common/api-url';
import { GuidPipe } from '../common/guid.pipe';
import { ListSpec, parseListQuery, Query as ListQuery } from '../common/list-query';
import { presentList } from '../common/list.presenter';
import { CurrentPrincipal } from '../common/principal.decorator';
import { DeploymentCreateRequest, DeploymentUpdateRequest } from './deployment-create.request';
import { DeploymentPresenter } from './deployment.presenter';

const LIST: ListSpec = {
  orderBy: { created_at: 'createdAt', updated_at: 'updatedAt' },
  filters: ['app_guids', 'guids', 'status_values', 'status_reasons'],
};

/** CF's deployments: rolling and canary rollouts of an app's droplet or of a revision. */
@ApiTags('deployments')
@ApiBearerAuth()
@Controller('v3/deployments')
export class DeploymentsController {
  constructor(
    private readonly query: DeploymentsQueryService,
    private readonly apps: AppsQueryService,
    private readonly processes: ProcessesQueryService,
    private readonly create: DeploymentCreateAction,
    private readonly cancelDeployment: DeploymentCancelAction,
    private readonly continueDeployment: DeploymentContinueAction,
    private readonly updateDeployment: DeploymentUpdateAction,
    private readonly presenter: DeploymentPresenter,
    private readonly url: ApiUrl,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Roll out a droplet (default: the current one) or a revision' })
  async createDeployment(
    @CurrentPrincipal() p: Principal,
    @Body() body: DeploymentCreateRequest,
  ): Promise<DeploymentResource> {
    const deployment = await this.create.execute({
      scope: visibilityOf(p),
      appGuid: body.relationships.app.data.guid,
      ...(body.droplet ? { dropletGuid: body.droplet.guid } : {}),
      ...(body.revision ? { revisionGuid: body.revision.guid } : {}),
      strategy: body.strategy ?? 'rolling',
      maxInFlight: body.options?.max_in_flight ?? 1,
      metadata: body.metadata,
      actor: actorOf(p),
    });
    return this.presentOne(p, deployment);
  }

  @Get()
  @ApiOperation({
    summary: 'List deployments (filters: app_guids, guids, status_values, status_reasons)',
  })
  async list(
    @CurrentPrincipal() p: Principal,
    @Query() q: ListQuery,
  ): Promise<ListResponse<DeploymentResource>> {
    const { page, filters } = parseListQuery(q, LIST);
    const result = await this.query.list(
      visibilityOf(p),
      {
        appGuids: filters.app_guids,
        guids: filters.guids,
        statusValues: filters.status_values,
        statusReasons: filters.status_reasons,
      },
      page,
    );
    const apps = new Map<string, Awaited<ReturnType<DeploymentsController['appView']>>>();
    for (const d of result.items) {
      if (!apps.has(d.appGuid)) apps.set(d.appGuid, await this.appView(p, d.appGuid));
    }
    return presentList(result, this.url.base, '/v3/deployments', q, (d) => {
      const app = apps.get(d.appGuid);
      return this.presenter.present(d, app?.web ?? [], app?.revisionsEnabled ?? false);
    });
  }

  @Get(':guid')
  @ApiOperation({ summary: 'Get a deployment' })
  async get(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Deployment')) guid: string,
  ): Promise<DeploymentResource> {
    return this.presentOne(p, await this.query.get(visibilityOf(p), guid));
  }

  @Patch(':guid')
  @ApiOperation({ summary: "Update a deployment's metadata" })
  async update(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Deployment')) guid: string,
    @Body() body: DeploymentUpdateRequest,
  ): Promise<DeploymentResource> {
    const deployment = await this.updateDeployment.execute({
      scope: visibilityOf(p),
      guid,
      metadata: body.metadata,
    });
    return this.presentOne(p, deployment);
  }

  @Post(':guid/actions/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a deployment: the app goes back to what it ran before' })
  async cancel(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Deployment')) guid: string,
  ): Promise<void> {
    await this.cancelDeployment.execute({ scope: visibilityOf(p), guid, actor: actorOf(p) });
  }

  @Post(':guid/actions/continue')
  @HttpCode(200)
  @ApiOperation({ summary: 'Continue a paused canary deployment' })
  async continue(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Deployment')) guid: string,
  ): Promise<void> {
    await this.continueDeployment.execute({ scope: visibilityOf(p), guid, actor: actorOf(p) });
  }

  private async presentOne(p: Principal, d: DeploymentEntity): Promise<DeploymentResource> {
    const app = await this.appView(p, d.appGuid);
    return this.presenter.present(d, app.web, app.revisionsEnabled);
  }

  /** What a deployment shows of its app: the web process it rolls out, the revisions feature. */
  private async appView(p: Principal, appGuid: string) {
    const scope = visibilityOf(p);
    const app = await this.apps.findApp(scope, appGuid);
    const processes = app ? await this.processes.allOfApp(scope, appGuid) : [];
    return {
      web: processes.filter((process) => process.type === 'web'),
      revisionsEnabled: app?.revisionsEnabled ?? false,
    };
  }
}
