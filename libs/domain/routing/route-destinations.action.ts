import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppsQueryService } from '@wharf/apps';
import type { AuditActor } from '@wharf/events';
import { Visibility } from '@wharf/access';
import { notFound } from '@wharf/platform/errors';
import { RouteAudit } from './route-audit';
import { RouteRepository } from './route.repository';
import { RouteDestinationEntity } from './route-destination.entity';
import { RouteEntity } from './route.entity';
import { RoutesQueryService } from './routes-query.service';
import { RoutingErrorCode, routingError } from './routing.errors';

export interface DestinationInput {
  appGuid: string;
  processType?: string;
}

/** Maps and unmaps apps (a process type, web by default) to a route of their space. */
@Injectable()
export class RouteDestinationsAction {
  constructor(
    private readonly routes: RouteRepository,
    private readonly query: RoutesQueryService,
    private readonly audit: RouteAudit,
    private readonly apps: AppsQueryService,
  ) {}

  async add(
    scope: Visibility,
    routeGuid: string,
    wanted: DestinationInput[],
    actor?: AuditActor,
  ): Promise<void> {
    const route = await this.query.getRouteToChange(scope, routeGuid);
    const before = await this.routes.destinationsOf([route.guid]);
    await this.routes.addDestinations(
      route.guid,
      await this.checked(scope, route.spaceGuid, wanted),
    );
    await this.audited(route, before, actor);
  }

  async replace(
    scope: Visibility,
    routeGuid: string,
    wanted: DestinationInput[],
    actor?: AuditActor,
  ): Promise<void> {
    const route = await this.query.getRouteToChange(scope, routeGuid);
    const before = await this.routes.destinationsOf([route.guid]);
    await this.routes.replaceDestinations(
      route.guid,
      await this.checked(scope, route.spaceGuid, wanted),
    );
    await this.audited(route, before, actor);
  }

  async remove(
    scope: Visibility,
    routeGuid: string,
    destinationGuid: string,
    actor?: AuditActor,
  ): Promise<void> {
    const route = await this.query.getRouteToChange(scope, routeGuid);
    const destination = await this.routes.findDestination(route.guid, destinationGuid);
    if (!destination) throw notFound('Destination');
    await this.routes.deleteDestination(destination.guid);
    await this.audit.mapping(route, 'unmap-route', destination, actor);
  }

  /** An event per app mapping that came or went (same app and process type = same mapping). */
  private async audited(
    route: RouteEntity,
    before: RouteDestinationEntity[],
    actor: AuditActor | undefined,
  ): Promise<void> {
    const after = await this.routes.destinationsOf([route.guid]);
    const key = (d: { appGuid: string; processType: string }) => `${d.appGuid}/${d.processType}`;
    const had = new Set(before.map(key));
    const has = new Set(after.map(key));
    for (const d of before.filter((d) => !has.has(key(d))))
      await this.audit.mapping(route, 'unmap-route', d, actor);
    for (const d of after.filter((d) => !had.has(key(d))))
      await this.audit.mapping(route, 'map-route', d, actor);
  }

  private async checked(scope: Visibility, spaceGuid: string, wanted: DestinationInput[]) {
    const out: { guid: string; appGuid: string; processType: string }[] = [];
    for (const d of wanted) {
      const app = await this.apps.findApp(scope, d.appGuid);
      if (!app) {
        throw routingError(
          RoutingErrorCode.InvalidDestination,
          `App with guid '${d.appGuid}' does not exist or you do not have access to it.`,
        );
      }
      if (app.spaceGuid !== spaceGuid) {
        throw routingError(
          RoutingErrorCode.InvalidDestination,
          'Routes cannot be mapped to destinations in different spaces.',
        );
      }
      out.push({ guid: randomUUID(), appGuid: app.guid, processType: d.processType ?? 'web' });
    }
    return out;
  }
}
