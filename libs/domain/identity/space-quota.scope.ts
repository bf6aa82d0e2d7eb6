import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { mayManageOrganization, notAuthorized, Visibility } from '@wharf/access';
import type { Page, PageRequest } from '@wharf/platform/db';
import { IdentityErrorCode, identityError } from './identity.errors';
import { OrganizationRepository } from './organization.repository';
import type { QuotaLimits } from './quota-limits.columns';
import { QuotaQueryService, SpaceQuotaFilter } from './quota-query.service';
import type { QuotaScope } from './quota.scope';
import { SpaceQuotaEntity } from './space-quota.entity';
import { SpaceQuotaRepository } from './space-quota.repository';
import { SpaceRepository } from './space.repository';

export interface SpaceQuotaTypes {
  quota: SpaceQuotaEntity;
  create: { organizationGuid: string };
  update: Record<never, never>;
  filter: SpaceQuotaFilter;
}

/**
 * Space quotas: an organization's, named uniquely within it, applied to some of its spaces (each
 * has at most one); created and changed by admins and managers of the organization, as in CF.
 */
@Injectable()
export class SpaceQuotaScope implements QuotaScope<SpaceQuotaTypes> {
  readonly kind = 'space_quota';

  constructor(
    private readonly quotas: SpaceQuotaRepository,
    private readonly orgs: OrganizationRepository,
    private readonly spaces: SpaceRepository,
    private readonly query: QuotaQueryService,
  ) {}

  list(
    scope: Visibility,
    filter: SpaceQuotaFilter,
    page: PageRequest,
  ): Promise<Page<SpaceQuotaEntity>> {
    return this.query.listSpaceQuotas(scope, filter, page);
  }

  get(scope: Visibility, guid: string): Promise<SpaceQuotaEntity> {
    return this.query.getSpaceQuota(scope, guid);
  }

  /** One they can see (else 404) in an organization they manage (else 403). */
  async toChange(scope: Visibility, guid: string): Promise<SpaceQuotaEntity> {
    const quota = await this.get(scope, guid);
    if (!mayManageOrganization(scope, quota.organizationGuid)) throw notAuthorized();
    return quota;
  }

  async draft(
    scope: Visibility,
    fields: { guid: string; name: string; limits: QuotaLimits },
    options: { organizationGuid: string },
  ): Promise<SpaceQuotaEntity> {
    const org = await this.orgs.findVisible(scope, options.organizationGuid);
    if (!org) {
      throw identityError(
        IdentityErrorCode.InvalidRelationship,
        `Organization with guid '${options.organizationGuid}' does not exist, or you do not have access to it.`,
      );
    }
    if (!mayManageOrganization(scope, org.guid)) throw notAuthorized();
    return this.quotas.create({ ...fields, organizationGuid: org.guid });
  }

  amend(): void {
    // A space quota has nothing besides its name and limits to change.
  }

  async nameUsed(quota: SpaceQuotaEntity, name: string): Promise<boolean> {
    return (await this.quotas.findByNameInOrganization(quota.organizationGuid, name)) !== null;
  }

  nameTaken(name: string) {
    return identityError(
      IdentityErrorCode.QuotaNameTaken,
      `Space Quota '${name}' already exists in this organization.`,
    );
  }

  inUse(quota: SpaceQuotaEntity) {
    return identityError(
      IdentityErrorCode.QuotaInUse,
      `Space quota '${quota.name}' is applied to one or more spaces. Remove this quota from all spaces before deleting.`,
    );
  }

  countApplied(quota: SpaceQuotaEntity): Promise<number> {
    return this.spaces.countWithSpaceQuota(quota.guid);
  }

  /** Spaces given by guid must be in the quota's organization (and exist). */
  async requireTargets(quota: SpaceQuotaEntity, guids: string[]): Promise<void> {
    const found = await this.spaces.findByGuidsUnscoped([...new Set(guids)]);
    const missing = [...new Set(guids)].filter(
      (g) => !found.some((s) => s.guid === g && s.organizationGuid === quota.organizationGuid),
    );
    if (missing.length) {
      throw identityError(
        IdentityErrorCode.InvalidRelationship,
        `Spaces with guids ${JSON.stringify(missing)} do not exist within the organization, or you do not have access to them.`,
      );
    }
  }

  async applyTo(guids: string[], quota: SpaceQuotaEntity, manager: EntityManager): Promise<void> {
    await this.spaces.setSpaceQuota(guids, quota.guid, manager);
  }

  /** 204 also when it was not applied there. */
  async removeFrom(
    quota: SpaceQuotaEntity,
    spaceGuid: string,
    manager: EntityManager,
  ): Promise<void> {
    const applied = await this.spaces.guidsWithSpaceQuota(quota.guid, [spaceGuid]);
    await this.spaces.setSpaceQuota(applied, null, manager);
  }

  appliedTo(scope: Visibility, quota: SpaceQuotaEntity): Promise<string[]> {
    return this.query.spacesWith(scope, quota.guid);
  }

  save(quota: SpaceQuotaEntity, manager: EntityManager): Promise<SpaceQuotaEntity> {
    return this.quotas.save(quota, manager);
  }

  delete(quota: SpaceQuotaEntity, manager: EntityManager): Promise<void> {
    return this.quotas.delete(quota.guid, manager);
  }
}
