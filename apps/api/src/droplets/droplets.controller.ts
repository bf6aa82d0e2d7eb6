import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AppResource, DropletResource, ListResponse } from '@wharf/contracts';
import { AppStartAction, AppStopAction } from '@wharf/apps';
import { Principal, visibilityOf } from '@wharf/access';
import { BuildsQueryService, DropletAssignAction } from '@wharf/staging';
import { AppPresenter } from '../apps/app.presenter';
import { actorOf } from '../common/actor';
import { ApiUrl } from '../common/api-url';
import { GuidPipe } from '../common/guid.pipe';
import { ListSpec, parseListQuery, Query as ListQuery } from '../common/list-query';
import { presentList } from '../common/list.presenter';
import { CurrentPrincipal } from '../common/principal.decorator';
import { ToOneRelationshipRequest } from '../common/relationship.request';
import { DropletPresenter } from './droplet.presenter';

const LIST: ListSpec = {
  orderBy: { created_at: 'createdAt', updated_at: 'updatedAt' },
  filters: ['guids', 'app_guids'],
};

/** Droplets, the app's current droplet, and the app actions that run it. */
@ApiTags('droplets')
@ApiBearerAuth()
@Controller('v3')
export class DropletsController {
  constructor(
    private readonly query: BuildsQueryService,
    private readonly assign: DropletAssignAction,
    private readonly startApp: AppStartAction,
    private readonly stopApp: AppStopAction,
    private readonly presenter: DropletPresenter,
    private readonly apps: AppPresenter,
    private readonly url: ApiUrl,
  ) {}

  @Get('droplets')
  @ApiOperation({ summary: 'List droplets (filters: guids, app_guids)' })
  async list(
    @CurrentPrincipal() p: Principal,
    @Query() q: ListQuery,
  ): Promise<ListResponse<DropletResource>> {
    const { page, filters } = parseListQuery(q, LIST);
    const result = await this.query.listDroplets(
      visibilityOf(p),
      { guids: filters.guids, appGuids: filters.app_guids },
      page,
    );
    return presentList(result, this.url.base, '/v3/droplets', q, (d) => this.presenter.present(d));
  }

  @Get('droplets/:guid')
  @ApiOperation({ summary: 'Get a droplet' })
  async get(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Droplet')) guid: string,
  ): Promise<DropletResource> {
    return this.presenter.present(await this.query.getDroplet(visibilityOf(p), guid));
  }

  @Get('apps/:guid/droplets')
  @ApiOperation({ summary: "List an app's droplets" })
  async listForApp(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('App')) appGuid: string,
    @Query() q: ListQuery,
  ): Promise<ListResponse<DropletResource>> {
    const { page } = parseListQuery(q, { orderBy: LIST.orderBy, filters: [] });
    const result = await this.query.listDroplets(visibilityOf(p), { appGuids: [appGuid] }, page);
    return presentList(result, this.url.base, `/v3/apps/${appGuid}/droplets`, q, (d) =>
      this.presenter.present(d),
    );
  }

  @Get('apps/:guid/droplets/current')
  @ApiOperation({ summary: 'The droplet the app runs' })
  async current(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('App')) appGuid: string,
  ): Promise<DropletResource> {
    return this.presenter.present(await this.query.currentDropletOfApp(visibilityOf(p), appGuid));
  }

  @Get('apps/:guid/relationships/current_droplet')
  @ApiOperation({ summary: "The app's current droplet relationship" })
  async currentRelationship(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('App')) appGuid: string,
  ) {
    const droplet = await this.query.currentDropletOfApp(visibilityOf(p), appGuid);
    return this.relationship(appGuid, droplet.guid);
  }

  @Patch('apps/:guid/relationships/current_droplet')
  @ApiOperation({ summary: 'Set the droplet the app runs (takes effect at the next start)' })
  async setCurrent(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('App')) appGuid: string,
    @Body() body: ToOneRelationshipRequest,
  ) {
    const app = await this.assign.execute({
      scope: visibilityOf(p),
      appGuid,
      dropletGuid: body.data.guid.toLowerCase(),
      actor: actorOf(p),
    });
    return this.relationship(appGuid, app.currentDropletGuid);
  }

  @Post('apps/:guid/actions/start')
  @HttpCode(200)
  @ApiOperation({ summary: 'Start an app (needs a current droplet)' })
  async start(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('App')) guid: string,
  ): Promise<AppResource> {
    return this.apps.present(
      await this.startApp.execute({ scope: visibilityOf(p), guid, actor: actorOf(p) }),
    );
  }

  @Post('apps/:guid/actions/stop')
  @HttpCode(200)
  @ApiOperation({ summary: 'Stop an app: its instances are stopped and removed' })
  async stop(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('App')) guid: string,
  ): Promise<AppResource> {
    return this.apps.present(
      await this.stopApp.execute({ scope: visibilityOf(p), guid, actor: actorOf(p) }),
    );
  }

  @Post('apps/:guid/actions/restart')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Restart an app: every instance is replaced (new env, droplet, limits)',
  })
  async restart(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('App')) guid: string,
  ): Promise<AppResource> {
    return this.apps.present(
      await this.startApp.execute({
        scope: visibilityOf(p),
        guid,
        restart: true,
        actor: actorOf(p),
      }),
    );
  }

  private relationship(appGuid: string, dropletGuid: string | null) {
    return {
      data: dropletGuid ? { guid: dropletGuid } : null,
      links: {
        self: { href: this.url.to(`/v3/apps/${appGuid}/relationships/current_droplet`) },
        related: { href: this.url.to(`/v3/apps/${appGuid}/droplets/current`) },
      },
    };
  }
}
