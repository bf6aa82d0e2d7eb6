import { Injectable } from '@nestjs/common';
import { AppsQueryService } from '@wharf/apps';
import { requireDeveloper, Visibility } from '@wharf/access';
import { IdentityQueryService } from '@wharf/identity';
import { Page, PageRequest } from '@wharf/platform/db';
import { notFound } from '@wharf/platform/errors';
import { DomainEntity } from './domain.entity';
import { DomainRepository } from './domain.repository';
import { RouteDestinationEntity } from './route-destination.entity';
import { RouteEntity } from './route.entity';
import { RouteFilter, RouteRepository } from './route.repository';

/** Reads of domains and routes: a route is visible with its space; domains shared or the org's. */
@Injectable()
export class RoutesQueryService {
  constructor(
    private readonly domains: DomainRepository,
    private readonly routes: RouteRepository,
    private readonly identity: IdentityQueryService,
    private readonly apps: AppsQueryService,
  ) {}

  listDomains(
    scope: Visibility,
    filter: { names?: string[]; guids?: string[] },
    page: PageRequest,
  ): Promise<Page<DomainEntity>> {
    return this.domains.listPage(scope.all ? 'all' : scope.orgGuids, filter, page);
  }

  async getDomain(scope: Visibility, guid: string): Promise<DomainEntity> {
    const domain = await this.domains.findByGuidUnscoped(guid);
    const visible =
      domain &&
      (scope.all ||
        domain.organizationGuid === null ||
        scope.orgGuids.includes(domain.organizationGuid));
    if (!domain || !visible) throw notFound('Domain');
    return domain;
  }

  async listRoutes(
    scope: Visibility,
    filter: Omit<RouteFilter, 'spaceGuids'> & { spaceGuids?: string[] },
    page: PageRequest,
  ): Promise<Page<RouteEntity>> {
    const visible = await this.identity.visibleSpaceGuids(scope);
    const spaceGuids =
      filter.spaceGuids === undefined
        ? visible
        : visible === 'all'
          ? filter.spaceGuids
          : filter.spaceGuids.filter((s) => visible.includes(s));
    return this.routes.listPage({ ...filter, spaceGuids }, page);
  }

  async routesOfApp(
    scope: Visibility,
    appGuid: string,
    page: PageRequest,
  ): Promise<Page<RouteEntity>> {
    const app = await this.apps.getApp(scope, appGuid);
    return this.listRoutes(scope, { appGuids: [app.guid] }, page);
  }

  async getRoute(scope: Visibility, guid: string): Promise<RouteEntity> {
    const route = await this.routes.findByGuidUnscoped(guid);
    const spaces = await this.identity.visibleSpaceGuids(scope);
    if (!route || (spaces !== 'all' && !spaces.includes(route.spaceGuid))) throw notFound('Route');
    return route;
  }

  /** For a change: visible (else 404) and in a space where the caller develops (else 403). */
  async getRouteToChange(scope: Visibility, guid: string): Promise<RouteEntity> {
    const route = await this.getRoute(scope, guid);
    requireDeveloper(scope, route.spaceGuid);
    return route;
  }

  /** Destinations of routes the caller has already been allowed to read. */
  destinationsOf(routeGuids: string[]): Promise<RouteDestinationEntity[]> {
    return this.routes.destinationsOf(routeGuids);
  }

  /** Domains by guid, for presenting routes the caller may read. */
  async domainsByGuid(guids: string[]): Promise<Map<string, DomainEntity>> {
    const out = new Map<string, DomainEntity>();
    for (const guid of new Set(guids)) {
      const d = await this.domains.findByGuidUnscoped(guid);
      if (d) out.set(guid, d);
    }
    return out;
  }
}
