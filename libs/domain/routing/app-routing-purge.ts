import { Injectable } from '@nestjs/common';
import { AppsQueryService } from '@wharf/apps';
import { PLATFORM_VISIBILITY } from '@wharf/access';
import { RouteRepository } from './route.repository';

/**
 * The work of an `app.routing_purge` job: a deleted app is unmapped from every route (the routes
 * stay, as in CF). An app that still exists is left alone.
 */
@Injectable()
export class AppRoutingPurge {
  constructor(
    private readonly apps: AppsQueryService,
    private readonly routes: RouteRepository,
  ) {}

  async run({ appGuid }: { appGuid: string }): Promise<void> {
    if (await this.apps.findApp(PLATFORM_VISIBILITY, appGuid)) return;
    await this.routes.deleteDestinationsOfApp(appGuid);
  }
}
