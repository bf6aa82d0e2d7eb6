import { Injectable } from '@nestjs/common';
import type { DestinationResource, DomainResource, RouteResource } from '@wharf/contracts';
import type { DomainEntity, RouteDestinationEntity, RouteEntity } from '@wharf/routing';
import { routeUrl } from '@wharf/routing';
import { ApiUrl } from '../common/api-url';
import { iso } from '../common/list.presenter';

export const presentDestination = (d: RouteDestinationEntity): DestinationResource => ({
  guid: d.guid,
  app: { guid: d.appGuid, process: { type: d.processType } },
  weight: null,
  port: d.port,
  protocol: 'http1',
});

@Injectable()
export class RoutePresenter {
  constructor(private readonly url: ApiUrl) {}

  route(
    r: RouteEntity,
    domain: DomainEntity | undefined,
    destinations: RouteDestinationEntity[],
  ): RouteResource {
    const self = this.url.to(`/v3/routes/${r.guid}`);
    return {
      guid: r.guid,
      protocol: 'http',
      port: null,
      host: r.host,
      path: r.path,
      url: routeUrl(r.host, domain?.name ?? '', r.path),
      created_at: iso(r.createdAt),
      updated_at: iso(r.updatedAt),
      destinations: destinations.filter((d) => d.routeGuid === r.guid).map(presentDestination),
      options: {},
      metadata: { labels: r.labels, annotations: r.annotations },
      relationships: {
        space: { data: { guid: r.spaceGuid } },
        domain: { data: { guid: r.domainGuid } },
      },
      links: {
        self: { href: self },
        space: { href: this.url.to(`/v3/spaces/${r.spaceGuid}`) },
        domain: { href: this.url.to(`/v3/domains/${r.domainGuid}`) },
        destinations: { href: `${self}/destinations` },
      },
    };
  }

  domain(d: DomainEntity): DomainResource {
    const self = this.url.to(`/v3/domains/${d.guid}`);
    return {
      guid: d.guid,
      created_at: iso(d.createdAt),
      updated_at: iso(d.updatedAt),
      name: d.name,
      internal: d.internal,
      router_group: null,
      supported_protocols: ['http'],
      metadata: { labels: d.labels, annotations: d.annotations },
      relationships: {
        organization: { data: d.organizationGuid ? { guid: d.organizationGuid } : null },
        shared_organizations: { data: [] },
      },
      links: {
        self: { href: self },
        route_reservations: { href: `${self}/route_reservations` },
        ...(d.organizationGuid
          ? { organization: { href: this.url.to(`/v3/organizations/${d.organizationGuid}`) } }
          : {}),
      },
    };
  }
}
