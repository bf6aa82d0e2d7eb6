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
import type {
  DestinationResource,
  DomainResource,
  ListResponse,
  RouteResource,
} from '@wharf/contracts';
import { Principal, visibilityOf } from '@wharf/access';
import { JobRecordRepository } from '@wharf/platform/queue';
import type { Page } from '@wharf/platform/db';
import {
  DomainCreateAction,
  RouteCreateAction,
  RouteDeleteAction,
  RouteDestinationsAction,
  RouteEntity,
  RoutesQueryService,
} from '@wharf/routing';
import { actorOf } from '../common/actor';
import { ApiUrl } from '../common/api-url';
import { GuidPipe } from '../common/guid.pipe';
import { ListSpec, parseListQuery, Query as ListQuery } from '../common/list-query';
import { presentList } from '../common/list.presenter';
import { CurrentPrincipal } from '../common/principal.decorator';
import { presentDestination, RoutePresenter } from './route.presenter';
import { DestinationsRequest, DomainCreateRequest, RouteCreateRequest } from './routes.request';

const ROUTES: ListSpec = {
  orderBy: { created_at: 'createdAt', updated_at: 'updatedAt' },
  filters: ['hosts', 'paths', 'domain_guids', 'space_guids', 'app_guids', 'guids'],
};
const DOMAINS: ListSpec = {
  orderBy: { created_at: 'createdAt', updated_at: 'updatedAt', name: 'name' },
  filters: ['names', 'guids'],
};

/** CF v3 domains, routes and route destinations. */
@ApiTags('routes')
@ApiBearerAuth()
@Controller('v3')
export class RoutesController {
  constructor(
    private readonly query: RoutesQueryService,
    private readonly createDomain: DomainCreateAction,
    private readonly createRoute: RouteCreateAction,
    private readonly deleteRoute: RouteDeleteAction,
    private readonly destinations: RouteDestinationsAction,
    private readonly presenter: RoutePresenter,
    private readonly jobs: JobRecordRepository,
    private readonly url: ApiUrl,
  ) {}

  @Get('domains')
  @ApiOperation({ summary: 'List domains: shared ones and the private ones of your orgs' })
  async listDomains(
    @CurrentPrincipal() p: Principal,
    @Query() q: ListQuery,
  ): Promise<ListResponse<DomainResource>> {
    const { page, filters } = parseListQuery(q, DOMAINS);
    const result = await this.query.listDomains(
      visibilityOf(p),
      { names: filters.names, guids: filters.guids },
      page,
    );
    return presentList(result, this.url.base, '/v3/domains', q, (d) => this.presenter.domain(d));
  }

  @Get('domains/:guid')
  @ApiOperation({ summary: 'Get a domain' })
  async getDomain(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Domain')) guid: string,
  ): Promise<DomainResource> {
    return this.presenter.domain(await this.query.getDomain(visibilityOf(p), guid));
  }

  @Post('domains')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create a private domain (relationships.organization) or, as admin, a shared one',
  })
  async postDomain(
    @CurrentPrincipal() p: Principal,
    @Body() body: DomainCreateRequest,
  ): Promise<DomainResource> {
    const domain = await this.createDomain.execute({
      scope: visibilityOf(p),
      name: body.name,
      internal: body.internal,
      organizationGuid: body.relationships?.organization?.data.guid.toLowerCase(),
      actor: actorOf(p),
    });
    return this.presenter.domain(domain);
  }

  @Get('routes')
  @ApiOperation({
    summary: 'List routes (filters: hosts, paths, domain_guids, space_guids, app_guids)',
  })
  async listRoutes(
    @CurrentPrincipal() p: Principal,
    @Query() q: ListQuery,
  ): Promise<ListResponse<RouteResource>> {
    const { page, filters } = parseListQuery(q, ROUTES);
    const result = await this.query.listRoutes(
      visibilityOf(p),
      {
        hosts: filters.hosts,
        paths: filters.paths,
        domainGuids: filters.domain_guids,
        spaceGuids: filters.space_guids,
        appGuids: filters.app_guids,
        guids: filters.guids,
      },
      page,
    );
    return this.presentRoutes(result, '/v3/routes', q);
  }

  @Get('apps/:guid/routes')
  @ApiOperation({ summary: "List an app's routes" })
  async appRoutes(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('App')) appGuid: string,
    @Query() q: ListQuery,
  ): Promise<ListResponse<RouteResource>> {
    const { page } = parseListQuery(q, { orderBy: ROUTES.orderBy, filters: [] });
    const result = await this.query.routesOfApp(visibilityOf(p), appGuid, page);
    return this.presentRoutes(result, `/v3/apps/${appGuid}/routes`, q);
  }

  @Post('routes')
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a route (host, path, space, domain)' })
  async postRoute(
    @CurrentPrincipal() p: Principal,
    @Body() body: RouteCreateRequest,
  ): Promise<RouteResource> {
    const route = await this.createRoute.execute({
      scope: visibilityOf(p),
      spaceGuid: body.relationships.space.data.guid.toLowerCase(),
      domainGuid: body.relationships.domain.data.guid.toLowerCase(),
      host: body.host,
      path: body.path,
      actor: actorOf(p),
    });
    return this.presentOne(route);
  }

  @Get('routes/:guid')
  @ApiOperation({ summary: 'Get a route' })
  async getRoute(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Route')) guid: string,
  ): Promise<RouteResource> {
    return this.presentOne(await this.query.getRoute(visibilityOf(p), guid));
  }

  @Delete('routes/:guid')
  @HttpCode(202)
  @ApiOperation({ summary: 'Delete a route and its mappings (202 + a completed job)' })
  async removeRoute(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Route')) guid: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    await this.deleteRoute.execute({ scope: visibilityOf(p), guid, actor: actorOf(p) });
    const job = await this.jobs.recordCompleted({
      operation: 'route.delete',
      resourceType: 'route',
      resourceGuid: guid,
      userGuid: p.userGuid,
    });
    res.setHeader('Location', this.url.to(`/v3/jobs/${job.guid}`));
  }

  @Get('routes/:guid/destinations')
  @ApiOperation({ summary: "A route's destinations" })
  async getDestinations(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Route')) guid: string,
  ) {
    const route = await this.query.getRoute(visibilityOf(p), guid);
    return this.destinationsBody(route.guid);
  }

  @Post('routes/:guid/destinations')
  @HttpCode(200)
  @ApiOperation({ summary: 'Map apps (process web by default) to the route' })
  async addDestinations(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Route')) guid: string,
    @Body() body: DestinationsRequest,
  ) {
    await this.destinations.add(visibilityOf(p), guid, this.wanted(body), actorOf(p));
    return this.destinationsBody(guid);
  }

  @Patch('routes/:guid/destinations')
  @ApiOperation({ summary: "Replace the route's destinations" })
  async replaceDestinations(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Route')) guid: string,
    @Body() body: DestinationsRequest,
  ) {
    await this.destinations.replace(visibilityOf(p), guid, this.wanted(body), actorOf(p));
    return this.destinationsBody(guid);
  }

  @Delete('routes/:guid/destinations/:destination')
  @HttpCode(204)
  @ApiOperation({ summary: 'Unmap one destination' })
  async removeDestination(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Route')) guid: string,
    @Param('destination', new GuidPipe('Destination')) destination: string,
  ): Promise<void> {
    await this.destinations.remove(visibilityOf(p), guid, destination, actorOf(p));
  }

  private wanted(body: DestinationsRequest) {
    return body.destinations.map((d) => ({
      appGuid: d.app.guid.toLowerCase(),
      processType: d.app.process?.type ?? 'web',
    }));
  }

  private async destinationsBody(routeGuid: string): Promise<{
    destinations: DestinationResource[];
    links: Record<string, { href: string }>;
  }> {
    const destinations = await this.query.destinationsOf([routeGuid]);
    return {
      destinations: destinations.map(presentDestination),
      links: {
        self: { href: this.url.to(`/v3/routes/${routeGuid}/destinations`) },
        route: { href: this.url.to(`/v3/routes/${routeGuid}`) },
      },
    };
  }

  private async presentOne(route: RouteEntity): Promise<RouteResource> {
    const [domains, destinations] = await Promise.all([
      this.query.domainsByGuid([route.domainGuid]),
      this.query.destinationsOf([route.guid]),
    ]);
    return this.presenter.route(route, domains.get(route.domainGuid), destinations);
  }

  private async presentRoutes(
    result: Page<RouteEntity>,
    path: string,
    q: ListQuery,
  ): Promise<ListResponse<RouteResource>> {
    const [domains, destinations] = await Promise.all([
      this.query.domainsByGuid(result.items.map((r) => r.domainGuid)),
      this.query.destinationsOf(result.items.map((r) => r.guid)),
    ]);
    return presentList(result, this.url.base, path, q, (r) =>
      this.presenter.route(r, domains.get(r.domainGuid), destinations),
    );
  }
}
