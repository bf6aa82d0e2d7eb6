import { Injectable } from '@nestjs/common';
import { AppsQueryService } from '@wharf/apps';
import { AuditActor, AuditEventRecordAction, SYSTEM_ACTOR } from '@wharf/events';
import { PLATFORM_VISIBILITY } from '@wharf/access';
import { DomainRepository } from './domain.repository';
import { RouteEntity } from './route.entity';
import { routeUrl } from './route-names';

/** `audit.route.*` on a route and `audit.app.map-route` / `unmap-route` on the apps mapped. */
@Injectable()
export class RouteAudit {
  constructor(
    private readonly events: AuditEventRecordAction,
    private readonly domains: DomainRepository,
    private readonly apps: AppsQueryService,
  ) {}

  async route(
    route: RouteEntity,
    type: 'create' | 'delete-request',
    actor: AuditActor | undefined,
  ): Promise<void> {
    await this.events.execute({
      type: `audit.route.${type}`,
      actor: actor ?? SYSTEM_ACTOR,
      target: { guid: route.guid, type: 'route', name: await this.nameOf(route) },
      data: { request: { host: route.host, path: route.path, domain_guid: route.domainGuid } },
      spaceGuid: route.spaceGuid,
    });
  }

  async mapping(
    route: RouteEntity,
    change: 'map-route' | 'unmap-route',
    destination: { guid: string; appGuid: string; processType: string },
    actor: AuditActor | undefined,
  ): Promise<void> {
    const app = await this.apps.findApp(PLATFORM_VISIBILITY, destination.appGuid);
    await this.events.execute({
      type: `audit.app.${change}`,
      actor: actor ?? SYSTEM_ACTOR,
      target: { guid: destination.appGuid, type: 'app', name: app?.name ?? destination.appGuid },
      data: {
        route_guid: route.guid,
        route: await this.nameOf(route),
        destination_guid: destination.guid,
        process_type: destination.processType,
      },
      spaceGuid: route.spaceGuid,
    });
  }

  private async nameOf(route: RouteEntity): Promise<string> {
    const domain = await this.domains.findByGuidUnscoped(route.domainGuid);
    return domain ? routeUrl(route.host, domain.name, route.path) : route.guid;
  }
}
