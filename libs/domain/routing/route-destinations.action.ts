import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppsQueryService } from '@wharf/apps';
import { Visibility } from '@wharf/identity';
import { notFound } from '@wharf/platform/errors';
import { RouteRepository } from './route.repository';
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
    private readonly apps: AppsQueryService,
  ) {}

  async add(scope: Visibility, routeGuid: string, wanted: DestinationInput[]): Promise<void> {
    const route = await this.query.getRouteToChange(scope, routeGuid);
    await this.routes.addDestinations(
      route.guid,
      await this.checked(scope, route.spaceGuid, wanted),
    );
  }

  async replace(scope: Visibility, routeGuid: string, wanted: DestinationInput[]): Promise<void> {
    const route = await this.query.getRouteToChange(scope, routeGuid);
    await this.routes.replaceDestinations(
      route.guid,
      await this.checked(scope, route.spaceGuid, wanted),
    );
  }

  async remove(scope: Visibility, routeGuid: string, destinationGuid: string): Promise<void> {
    const route = await this.query.getRouteToChange(scope, routeGuid);
    const destination = await this.routes.findDestination(route.guid, destinationGuid);
    if (!destination) throw notFound('Destination');
    await this.routes.deleteDestination(destination.guid);
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
