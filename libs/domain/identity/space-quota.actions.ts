import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { isUniqueViolation } from '@wharf/platform/db';
import { JobRecordRepository } from '@wharf/platform/queue';
import { IdentityErrorCode, identityError } from './identity.errors';
import type { QuotaLimitsPatch } from './organization-quota.actions';
import { OrganizationRepository } from './organization.repository';
import type { Principal } from '@wharf/access';
import { QuotaQueryService } from './quota-query.service';
import { UNLIMITED } from './quota-limits.columns';
import { SpaceQuotaEntity } from './space-quota.entity';
import { SpaceQuotaRepository } from './space-quota.repository';
import { SpaceRepository } from './space.repository';
import { mayManageOrganization, notAuthorized, Visibility } from '@wharf/access';

const nameTaken = (name: string) =>
  identityError(
    IdentityErrorCode.QuotaNameTaken,
    `Space Quota '${name}' already exists in this organization.`,
  );

async function saveNamed(
  repo: SpaceQuotaRepository,
  quota: SpaceQuotaEntity,
): Promise<SpaceQuotaEntity> {
  try {
    return await repo.save(quota);
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken(quota.name);
    throw err;
  }
}

/** Spaces given by guid must be in the quota's organization (and exist). */
async function requireSpacesOf(
  spaces: SpaceRepository,
  organizationGuid: string,
  guids: string[],
): Promise<void> {
  const found = await spaces.findByGuidsUnscoped([...new Set(guids)]);
  const missing = [...new Set(guids)].filter(
    (g) => !found.some((s) => s.guid === g && s.organizationGuid === organizationGuid),
  );
  if (missing.length) {
    throw identityError(
      IdentityErrorCode.InvalidRelationship,
      `Spaces with guids ${JSON.stringify(missing)} do not exist within the organization, or you do not have access to them.`,
    );
  }
}

/**
 * A space quota the caller may change: one they can see (else 404) in an organization they
 * manage (else 403), as CF allows admins and organization managers.
 */
async function quotaToChange(
  query: QuotaQueryService,
  scope: Visibility,
  guid: string,
): Promise<SpaceQuotaEntity> {
  const quota = await query.getSpaceQuota(scope, guid);
  if (!mayManageOrganization(scope, quota.organizationGuid)) throw notAuthorized();
  return quota;
}

/** POST /v3/space_quotas: admins and managers of the organization; optionally applied at once. */
@Injectable()
export class SpaceQuotaCreateAction {
  constructor(
    private readonly quotas: SpaceQuotaRepository,
    private readonly orgs: OrganizationRepository,
    private readonly spaces: SpaceRepository,
  ) {}

  async execute(input: {
    scope: Visibility;
    name: string;
    organizationGuid: string;
    limits?: QuotaLimitsPatch;
    spaceGuids?: string[];
  }): Promise<SpaceQuotaEntity> {
    const org = await this.orgs.findVisible(input.scope, input.organizationGuid);
    if (!org) {
      throw identityError(
        IdentityErrorCode.InvalidRelationship,
        `Organization with guid '${input.organizationGuid}' does not exist, or you do not have access to it.`,
      );
    }
    if (!mayManageOrganization(input.scope, org.guid)) throw notAuthorized();
    if (await this.quotas.findByNameInOrganization(org.guid, input.name)) {
      throw nameTaken(input.name);
    }
    await requireSpacesOf(this.spaces, org.guid, input.spaceGuids ?? []);
    const quota = await saveNamed(
      this.quotas,
      this.quotas.create({
        guid: randomUUID(),
        name: input.name,
        organizationGuid: org.guid,
        limits: { ...UNLIMITED, ...input.limits },
      }),
    );
    await this.spaces.setSpaceQuota(input.spaceGuids ?? [], quota.guid);
    return quota;
  }
}

/** PATCH /v3/space_quotas/:guid. */
@Injectable()
export class SpaceQuotaUpdateAction {
  constructor(
    private readonly quotas: SpaceQuotaRepository,
    private readonly query: QuotaQueryService,
  ) {}

  async execute(input: {
    scope: Visibility;
    guid: string;
    name?: string;
    limits?: QuotaLimitsPatch;
  }): Promise<SpaceQuotaEntity> {
    const quota = await quotaToChange(this.query, input.scope, input.guid);
    if (input.name !== undefined && input.name !== quota.name) {
      if (await this.quotas.findByNameInOrganization(quota.organizationGuid, input.name)) {
        throw nameTaken(input.name);
      }
      quota.name = input.name;
    }
    quota.limits = { ...quota.limits, ...input.limits };
    return saveNamed(this.quotas, quota);
  }
}

/**
 * DELETE /v3/space_quotas/:guid: refused while applied to any space. Answered with a job as in
 * CF, recorded already complete (the deletion is one statement).
 */
@Injectable()
export class SpaceQuotaDeleteAction {
  constructor(
    private readonly quotas: SpaceQuotaRepository,
    private readonly spaces: SpaceRepository,
    private readonly query: QuotaQueryService,
    private readonly jobs: JobRecordRepository,
  ) {}

  async execute(input: {
    scope: Visibility;
    principal: Principal;
    guid: string;
  }): Promise<{ jobGuid: string }> {
    const quota = await quotaToChange(this.query, input.scope, input.guid);
    const inUse = () =>
      identityError(
        IdentityErrorCode.QuotaInUse,
        `Space quota '${quota.name}' is applied to one or more spaces. Remove this quota from all spaces before deleting.`,
      );
    if ((await this.spaces.countWithSpaceQuota(quota.guid)) > 0) throw inUse();
    try {
      await this.quotas.delete(quota.guid);
    } catch (err) {
      if ((await this.spaces.countWithSpaceQuota(quota.guid)) > 0) throw inUse();
      throw err;
    }
    const job = await this.jobs.recordCompleted({
      operation: 'space_quota.delete',
      resourceType: 'space_quota',
      resourceGuid: quota.guid,
      userGuid: input.principal.userGuid,
    });
    return { jobGuid: job.guid };
  }
}

/**
 * POST /v3/space_quotas/:guid/relationships/spaces: a space has at most one space quota, so
 * applying replaces the one it had.
 */
@Injectable()
export class SpaceQuotaApplyAction {
  constructor(
    private readonly spaces: SpaceRepository,
    private readonly query: QuotaQueryService,
  ) {}

  async execute(input: {
    scope: Visibility;
    guid: string;
    spaceGuids: string[];
  }): Promise<string[]> {
    const quota = await quotaToChange(this.query, input.scope, input.guid);
    await requireSpacesOf(this.spaces, quota.organizationGuid, input.spaceGuids);
    await this.spaces.setSpaceQuota(input.spaceGuids, quota.guid);
    return this.query.spacesWith(input.scope, quota.guid);
  }
}

/** DELETE /v3/space_quotas/:guid/relationships/spaces/:space_guid (204 also when not applied). */
@Injectable()
export class SpaceQuotaRemoveAction {
  constructor(
    private readonly spaces: SpaceRepository,
    private readonly query: QuotaQueryService,
  ) {}

  async execute(input: { scope: Visibility; guid: string; spaceGuid: string }): Promise<void> {
    const quota = await quotaToChange(this.query, input.scope, input.guid);
    const applied = await this.spaces.guidsWithSpaceQuota(quota.guid, [input.spaceGuid]);
    await this.spaces.setSpaceQuota(applied, null);
  }
}
