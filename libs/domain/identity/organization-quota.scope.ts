import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { notAuthorized, Visibility } from '@wharf/access';
import type { Page, PageRequest } from '@wharf/platform/db';
import { IdentityErrorCode, identityError } from './identity.errors';
import { OrganizationQuotaEntity } from './organization-quota.entity';
import {
  OrganizationQuotaFilter,
  OrganizationQuotaRepository,
} from './organization-quota.repository';
import { OrganizationRepository } from './organization.repository';
import type { QuotaLimits } from './quota-limits.columns';
import { QuotaQueryService } from './quota-query.service';
import type { QuotaScope } from './quota.scope';

export interface OrganizationQuotaTypes {
  quota: OrganizationQuotaEntity;
  create: { totalDomains?: number | null };
  update: { totalDomains?: number | null };
  filter: OrganizationQuotaFilter;
}

/**
 * Organization quotas: named across the platform, applied to organizations (each has exactly
 * one), created and changed by admins only, as in CF.
 */
@Injectable()
export class OrganizationQuotaScope implements QuotaScope<OrganizationQuotaTypes> {
  readonly kind = 'organization_quota';

  constructor(
    private readonly quotas: OrganizationQuotaRepository,
    private readonly orgs: OrganizationRepository,
    private readonly query: QuotaQueryService,
  ) {}

  list(
    scope: Visibility,
    filter: OrganizationQuotaFilter,
    page: PageRequest,
  ): Promise<Page<OrganizationQuotaEntity>> {
    return this.query.listOrganizationQuotas(scope, filter, page);
  }

  get(scope: Visibility, guid: string): Promise<OrganizationQuotaEntity> {
    return this.query.getOrganizationQuota(scope, guid);
  }

  async toChange(scope: Visibility, guid: string): Promise<OrganizationQuotaEntity> {
    const quota = await this.get(scope, guid);
    if (!scope.all) throw notAuthorized();
    return quota;
  }

  draft(
    scope: Visibility,
    fields: { guid: string; name: string; limits: QuotaLimits },
    options: { totalDomains?: number | null },
  ): Promise<OrganizationQuotaEntity> {
    if (!scope.all) throw notAuthorized();
    return Promise.resolve(
      this.quotas.create({ ...fields, totalDomains: options.totalDomains ?? null }),
    );
  }

  amend(quota: OrganizationQuotaEntity, options: { totalDomains?: number | null }): void {
    if (options.totalDomains !== undefined) quota.totalDomains = options.totalDomains;
  }

  async nameUsed(_quota: OrganizationQuotaEntity, name: string): Promise<boolean> {
    return (await this.quotas.findByNameUnscoped(name)) !== null;
  }

  nameTaken(name: string) {
    return identityError(
      IdentityErrorCode.QuotaNameTaken,
      `Organization Quota '${name}' already exists.`,
    );
  }

  inUse(quota: OrganizationQuotaEntity) {
    return identityError(
      IdentityErrorCode.QuotaInUse,
      `Organization quota '${quota.name}' is applied to one or more organizations. Apply different quotas to those organizations before deleting.`,
    );
  }

  countApplied(quota: OrganizationQuotaEntity): Promise<number> {
    return this.orgs.countUsingQuota(quota.guid);
  }

  /** Organizations given by guid must exist (an admin sees every one). */
  async requireTargets(_quota: OrganizationQuotaEntity, guids: string[]): Promise<void> {
    const missing: string[] = [];
    for (const guid of new Set(guids)) {
      if (!(await this.orgs.findByGuidUnscoped(guid))) missing.push(guid);
    }
    if (missing.length) {
      throw identityError(
        IdentityErrorCode.InvalidRelationship,
        `Organizations with guids ${JSON.stringify(missing)} do not exist, or you do not have access to them.`,
      );
    }
  }

  async applyTo(
    guids: string[],
    quota: OrganizationQuotaEntity,
    manager: EntityManager,
  ): Promise<void> {
    await this.orgs.setQuota(guids, quota.guid, manager);
  }

  appliedTo(scope: Visibility, quota: OrganizationQuotaEntity): Promise<string[]> {
    return this.query.organizationsUsing(scope, quota.guid);
  }

  save(quota: OrganizationQuotaEntity, manager: EntityManager): Promise<OrganizationQuotaEntity> {
    return this.quotas.save(quota, manager);
  }

  delete(quota: OrganizationQuotaEntity, manager: EntityManager): Promise<void> {
    return this.quotas.delete(quota.guid, manager);
  }
}
