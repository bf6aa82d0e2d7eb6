import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { AuditActor } from '@wharf/events';
import { requireDeveloper, Visibility } from '@wharf/access';
import {
  checkQuotaTotal,
  IdentityQueryService,
  QuotaLock,
  QuotaQueryService,
} from '@wharf/identity';
import { isUniqueViolation } from '@wharf/platform/db';
import { DomainRepository } from './domain.repository';
import { RouteAudit } from './route-audit';
import { RouteEntity } from './route.entity';
import { RouteRepository } from './route.repository';
import { routeUrl, validateHost, validatePath } from './route-names';
import { RoutingErrorCode, routingError } from './routing.errors';

/** POST /v3/routes: host + domain + path in a space; unique across the platform. */
@Injectable()
export class RouteCreateAction {
  constructor(
    private readonly routes: RouteRepository,
    private readonly domains: DomainRepository,
    private readonly identity: IdentityQueryService,
    private readonly audit: RouteAudit,
    private readonly quotas: QuotaQueryService,
    private readonly quotaLock: QuotaLock,
  ) {}

  async execute(input: {
    scope: Visibility;
    spaceGuid: string;
    domainGuid: string;
    host?: string;
    path?: string;
    actor?: AuditActor;
  }): Promise<RouteEntity> {
    const space = await this.identity.getSpace(input.scope, input.spaceGuid).catch(() => {
      throw routingError(
        RoutingErrorCode.InvalidRoute,
        'Invalid space. Ensure that the space exists and you have access to it.',
      );
    });
    requireDeveloper(input.scope, space.guid);
    const domain = await this.domains.findByGuidUnscoped(input.domainGuid);
    if (!domain) {
      throw routingError(
        RoutingErrorCode.InvalidRoute,
        'Invalid domain. Ensure that the domain exists and you have access to it.',
      );
    }
    if (domain.organizationGuid !== null && domain.organizationGuid !== space.organizationGuid) {
      throw routingError(
        RoutingErrorCode.InvalidRoute,
        `Invalid domain. Domain '${domain.name}' is not available in organization of space '${space.name}'.`,
      );
    }
    const host = validateHost(input.host ?? '');
    const path = validatePath(input.path ?? '');
    if (path && domain.internal) {
      // Internal routes are names in DNS (apps.internal), which has no notion of a path.
      throw routingError(
        RoutingErrorCode.InvalidRoute,
        'Paths are not supported for internal domains.',
      );
    }
    if (host === '' && domain.organizationGuid === null) {
      throw routingError(
        RoutingErrorCode.InvalidRoute,
        `Missing host. Routes in shared domains must have a host defined.`,
      );
    }
    const exists = () =>
      routingError(
        RoutingErrorCode.RouteExists,
        `Route already exists${host ? ` with host '${host}'` : ''}${path ? ` and path '${path}'` : ''} for domain '${domain.name}'. (${routeUrl(host, domain.name, path)})`,
      );
    if (await this.routes.findByAddress(domain.guid, host, path)) throw exists();
    // From the count of routes to the save, no other route is made in the organization.
    const route = await this.quotaLock.inOrganization(space.organizationGuid, async () => {
      await this.checkQuota(space.guid, routeUrl(host, domain.name, path));
      try {
        return await this.routes.save({
          guid: randomUUID(),
          host,
          path,
          domainGuid: domain.guid,
          spaceGuid: space.guid,
          labels: {},
          annotations: {},
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw exists();
        throw err;
      }
    });
    await this.audit.route(route, 'create', input.actor);
    return route;
  }

  /** total_routes of the organization's and the space's quotas. */
  private async checkQuota(spaceGuid: string, url: string): Promise<void> {
    const q = await this.quotas.effectiveQuotaOfSpace(spaceGuid);
    const [inOrg, inSpace] = await Promise.all([
      this.routes.countInSpaces(q.organizationSpaceGuids),
      this.routes.countInSpaces([spaceGuid]),
    ]);
    const v = checkQuotaTotal(
      q,
      'routes',
      { organization: inOrg, space: inSpace },
      1,
      `creating route '${url}'`,
    );
    if (v) {
      throw routingError(
        v.owner === 'space'
          ? RoutingErrorCode.SpaceQuotaTotalRoutesExceeded
          : RoutingErrorCode.OrgQuotaTotalRoutesExceeded,
        v.detail,
      );
    }
  }
}
