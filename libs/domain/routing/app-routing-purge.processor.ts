import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { JobPayloads } from '@wharf/contracts';
import { AppsQueryService } from '@wharf/apps';
import { PLATFORM_VISIBILITY } from '@wharf/access';
import { isUuid } from '@wharf/platform/db';
import { JobHandler, JobProcessor } from '@wharf/platform/queue';
import { RouteRepository } from './route.repository';

/** A deleted app is unmapped from every route (the routes stay, as in CF). */
@Injectable()
@JobHandler('app.routing_purge')
export class AppRoutingPurgeProcessor implements JobProcessor<'app.routing_purge'> {
  constructor(
    private readonly apps: AppsQueryService,
    private readonly routes: RouteRepository,
  ) {}

  async handle(payload: JobPayloads['app.routing_purge']): Promise<void> {
    if (!isUuid(payload?.appGuid)) throw new UnrecoverableError('app.routing_purge needs appGuid');
    if (await this.apps.findApp(PLATFORM_VISIBILITY, payload.appGuid)) return;
    await this.routes.deleteDestinationsOfApp(payload.appGuid);
  }
}
