import { Injectable } from '@nestjs/common';
import type {
  OrganizationQuotaResource,
  QuotaAppsLimits,
  QuotaRoutesLimits,
  QuotaServicesLimits,
  SpaceQuotaResource,
} from '@wharf/contracts';
import type { OrganizationQuotaEntity, SpaceQuotaEntity } from '@wharf/identity';
import { ApiUrl } from '../common/api-url';
import { iso } from '../common/list.presenter';

/** What an organization quota and a space quota show alike, in CF's order. */
function common(q: OrganizationQuotaEntity | SpaceQuotaEntity): {
  guid: string;
  created_at: string;
  updated_at: string;
  name: string;
  apps: QuotaAppsLimits;
  services: QuotaServicesLimits;
  routes: QuotaRoutesLimits;
} {
  const l = q.limits;
  return {
    guid: q.guid,
    created_at: iso(q.createdAt),
    updated_at: iso(q.updatedAt),
    name: q.name,
    apps: {
      total_memory_in_mb: l.totalMemoryInMb,
      per_process_memory_in_mb: l.perProcessMemoryInMb,
      total_instances: l.totalInstances,
      per_app_tasks: l.perAppTasks,
      log_rate_limit_in_bytes_per_second: l.logRateLimitInBytesPerSecond,
    },
    services: {
      paid_services_allowed: l.paidServicesAllowed,
      total_service_instances: l.totalServiceInstances,
      total_service_keys: l.totalServiceKeys,
    },
    routes: { total_routes: l.totalRoutes, total_reserved_ports: l.totalReservedPorts },
  };
}

@Injectable()
export class QuotaPresenter {
  constructor(private readonly url: ApiUrl) {}

  /** `organizationGuids`: the organizations using it that the caller may see. */
  organizationQuota(
    q: OrganizationQuotaEntity,
    organizationGuids: string[],
  ): OrganizationQuotaResource {
    return {
      ...common(q),
      domains: { total_domains: q.totalDomains },
      relationships: { organizations: { data: organizationGuids.map((guid) => ({ guid })) } },
      links: { self: { href: this.url.to(`/v3/organization_quotas/${q.guid}`) } },
    };
  }

  /** `spaceGuids`: the spaces it is applied to that the caller may see. */
  spaceQuota(q: SpaceQuotaEntity, spaceGuids: string[]): SpaceQuotaResource {
    return {
      ...common(q),
      relationships: {
        organization: { data: { guid: q.organizationGuid } },
        spaces: { data: spaceGuids.map((guid) => ({ guid })) },
      },
      links: {
        self: { href: this.url.to(`/v3/space_quotas/${q.guid}`) },
        organization: { href: this.url.to(`/v3/organizations/${q.organizationGuid}`) },
      },
    };
  }

  /** The answer to applying a quota: the to-many relationship as it now is. */
  relationship(
    path: string,
    guids: string[],
  ): { data: { guid: string }[]; links: { self: { href: string } } } {
    return { data: guids.map((guid) => ({ guid })), links: { self: { href: this.url.to(path) } } };
  }
}
