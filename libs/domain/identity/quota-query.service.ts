import { Injectable } from '@nestjs/common';
import type { Page, PageRequest } from '@wharf/platform/db';
import { notFound } from '@wharf/platform/errors';
import { OrganizationQuotaEntity } from './organization-quota.entity';
import {
  OrganizationQuotaFilter,
  OrganizationQuotaRepository,
} from './organization-quota.repository';
import { OrganizationRepository } from './organization.repository';
import type { EffectiveQuota } from './quota-check';
import { SpaceQuotaEntity } from './space-quota.entity';
import { SpaceQuotaRepository } from './space-quota.repository';
import { SpaceRepository } from './space.repository';
import type { Visibility } from '@wharf/access';

export interface SpaceQuotaFilter {
  names?: string[];
  guids?: string[];
  organizationGuids?: string[];
  spaceGuids?: string[];
}

/**
 * Reads of organization and space quotas within what the caller may see, and the quotas that
 * apply in a space (for the contexts that enforce them).
 */
@Injectable()
export class QuotaQueryService {
  constructor(
    private readonly orgQuotas: OrganizationQuotaRepository,
    private readonly spaceQuotas: SpaceQuotaRepository,
    private readonly orgs: OrganizationRepository,
    private readonly spaces: SpaceRepository,
  ) {}

  /** Admins see every quota; anyone else the quotas of the organizations they see. */
  async listOrganizationQuotas(
    scope: Visibility,
    filter: OrganizationQuotaFilter,
    page: PageRequest,
  ): Promise<Page<OrganizationQuotaEntity>> {
    let visible: string[] | 'all' = scope.all
      ? 'all'
      : await this.orgs.quotaGuidsOf(scope.orgGuids);
    if (filter.organizationGuids) {
      const orgs = scope.all
        ? filter.organizationGuids
        : filter.organizationGuids.filter((g) => scope.orgGuids.includes(g));
      const used = await this.orgs.quotaGuidsOf(orgs);
      visible = visible === 'all' ? used : used.filter((g) => visible.includes(g));
    }
    return this.orgQuotas.listPage(visible, filter, page);
  }

  async getOrganizationQuota(scope: Visibility, guid: string): Promise<OrganizationQuotaEntity> {
    const quota = await this.orgQuotas.findByGuidUnscoped(guid);
    if (!quota || !(await this.mayReadOrganizationQuota(scope, quota.guid))) {
      throw notFound('Organization quota');
    }
    return quota;
  }

  /** relationships.organizations: the organizations using the quota that the caller sees. */
  organizationsUsing(scope: Visibility, quotaGuid: string): Promise<string[]> {
    return this.orgs.guidsUsingQuota(quotaGuid, scope.all ? 'all' : scope.orgGuids);
  }

  async listSpaceQuotas(
    scope: Visibility,
    filter: SpaceQuotaFilter,
    page: PageRequest,
  ): Promise<Page<SpaceQuotaEntity>> {
    let guids = filter.guids;
    if (filter.spaceGuids) {
      const spaces = scope.all
        ? filter.spaceGuids
        : filter.spaceGuids.filter((g) => scope.spaceGuids.includes(g));
      const applied = await this.spaces.spaceQuotaGuidsOf(spaces);
      guids = guids ? applied.filter((g) => guids?.includes(g)) : applied;
    }
    const visible = scope.all
      ? ('all' as const)
      : {
          organizationGuids: scope.managedOrgGuids,
          guids: await this.spaces.spaceQuotaGuidsOf(scope.spaceGuids),
        };
    return this.spaceQuotas.listPage(visible, { ...filter, guids }, page);
  }

  async getSpaceQuota(scope: Visibility, guid: string): Promise<SpaceQuotaEntity> {
    const quota = await this.spaceQuotas.findByGuidUnscoped(guid);
    if (!quota || !(await this.mayReadSpaceQuota(scope, quota))) throw notFound('Space quota');
    return quota;
  }

  /** relationships.spaces: the spaces the quota is applied to that the caller sees. */
  spacesWith(scope: Visibility, spaceQuotaGuid: string): Promise<string[]> {
    return this.spaces.guidsWithSpaceQuota(spaceQuotaGuid, scope.all ? 'all' : scope.spaceGuids);
  }

  /** The quotas that apply in a space (unscoped: for enforcement of an authorized change). */
  async effectiveQuotaOfSpace(spaceGuid: string): Promise<EffectiveQuota> {
    const space = await this.spaces.findByGuidUnscoped(spaceGuid);
    if (!space) throw notFound('Space');
    const org = await this.orgs.findByGuidUnscoped(space.organizationGuid);
    const orgQuota = org ? await this.orgQuotas.findByGuidUnscoped(org.quotaGuid) : null;
    if (!org || !orgQuota) throw notFound('Organization quota');
    const spaceQuota = space.spaceQuotaGuid
      ? await this.spaceQuotas.findByGuidUnscoped(space.spaceQuotaGuid)
      : null;
    return {
      organizationGuid: org.guid,
      organizationSpaceGuids: await this.spaces.guidsInOrganizations([org.guid]),
      organization: { name: orgQuota.name, limits: orgQuota.limits },
      space: spaceQuota ? { name: spaceQuota.name, limits: spaceQuota.limits } : null,
    };
  }

  private async mayReadOrganizationQuota(scope: Visibility, quotaGuid: string): Promise<boolean> {
    if (scope.all) return true;
    return (await this.orgs.guidsUsingQuota(quotaGuid, scope.orgGuids)).length > 0;
  }

  /** Admins, managers of its organization, and anyone who sees a space it is applied to. */
  async mayReadSpaceQuota(scope: Visibility, quota: SpaceQuotaEntity): Promise<boolean> {
    if (scope.all || scope.managedOrgGuids.includes(quota.organizationGuid)) return true;
    return (await this.spaces.guidsWithSpaceQuota(quota.guid, scope.spaceGuids)).length > 0;
  }
}
