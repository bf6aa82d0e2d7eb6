import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { isUniqueViolation } from '@wharf/platform/db';
import { JobRecordRepository } from '@wharf/platform/queue';
import { IdentityErrorCode, identityError } from './identity.errors';
import { OrganizationQuotaEntity } from './organization-quota.entity';
import { OrganizationQuotaRepository } from './organization-quota.repository';
import { OrganizationRepository } from './organization.repository';
import type { Principal } from '@wharf/access';
import { QuotaQueryService } from './quota-query.service';
import { QuotaLimits, UNLIMITED } from './quota-limits.columns';
import { notAuthorized, Visibility } from '@wharf/access';

/** The limits a request sets; what it leaves out keeps its value (null = unlimited). */
export type QuotaLimitsPatch = Partial<QuotaLimits>;

const nameTaken = (name: string) =>
  identityError(IdentityErrorCode.QuotaNameTaken, `Organization Quota '${name}' already exists.`);

async function saveNamed(
  repo: OrganizationQuotaRepository,
  quota: OrganizationQuotaEntity,
): Promise<OrganizationQuotaEntity> {
  try {
    return await repo.save(quota);
  } catch (err) {
    // Two concurrent creates or renames: the unique index decides.
    if (isUniqueViolation(err)) throw nameTaken(quota.name);
    throw err;
  }
}

/** Organizations given by guid must exist (an admin sees every one). */
async function requireOrganizations(orgs: OrganizationRepository, guids: string[]): Promise<void> {
  const missing: string[] = [];
  for (const guid of new Set(guids)) {
    if (!(await orgs.findByGuidUnscoped(guid))) missing.push(guid);
  }
  if (missing.length) {
    throw identityError(
      IdentityErrorCode.InvalidRelationship,
      `Organizations with guids ${JSON.stringify(missing)} do not exist, or you do not have access to them.`,
    );
  }
}

/** POST /v3/organization_quotas: admins only, as in CF; optionally applied at once. */
@Injectable()
export class OrganizationQuotaCreateAction {
  constructor(
    private readonly quotas: OrganizationQuotaRepository,
    private readonly orgs: OrganizationRepository,
  ) {}

  async execute(input: {
    scope: Visibility;
    name: string;
    limits?: QuotaLimitsPatch;
    totalDomains?: number | null;
    organizationGuids?: string[];
  }): Promise<OrganizationQuotaEntity> {
    if (!input.scope.all) throw notAuthorized();
    if (await this.quotas.findByNameUnscoped(input.name)) throw nameTaken(input.name);
    await requireOrganizations(this.orgs, input.organizationGuids ?? []);
    const quota = await saveNamed(
      this.quotas,
      this.quotas.create({
        guid: randomUUID(),
        name: input.name,
        limits: { ...UNLIMITED, ...input.limits },
        totalDomains: input.totalDomains ?? null,
      }),
    );
    await this.orgs.setQuota(input.organizationGuids ?? [], quota.guid);
    return quota;
  }
}

/** PATCH /v3/organization_quotas/:guid: admins only. Usage already over a new limit stays. */
@Injectable()
export class OrganizationQuotaUpdateAction {
  constructor(
    private readonly quotas: OrganizationQuotaRepository,
    private readonly query: QuotaQueryService,
  ) {}

  async execute(input: {
    scope: Visibility;
    guid: string;
    name?: string;
    limits?: QuotaLimitsPatch;
    totalDomains?: number | null;
  }): Promise<OrganizationQuotaEntity> {
    const quota = await this.query.getOrganizationQuota(input.scope, input.guid);
    if (!input.scope.all) throw notAuthorized();
    if (input.name !== undefined && input.name !== quota.name) {
      if (await this.quotas.findByNameUnscoped(input.name)) throw nameTaken(input.name);
      quota.name = input.name;
    }
    quota.limits = { ...quota.limits, ...input.limits };
    if (input.totalDomains !== undefined) quota.totalDomains = input.totalDomains;
    return saveNamed(this.quotas, quota);
  }
}

/**
 * DELETE /v3/organization_quotas/:guid: refused while any organization uses it. CF answers with a
 * job; deleting the row is one statement, so the job is recorded already complete.
 */
@Injectable()
export class OrganizationQuotaDeleteAction {
  constructor(
    private readonly quotas: OrganizationQuotaRepository,
    private readonly orgs: OrganizationRepository,
    private readonly query: QuotaQueryService,
    private readonly jobs: JobRecordRepository,
  ) {}

  async execute(input: {
    scope: Visibility;
    principal: Principal;
    guid: string;
  }): Promise<{ jobGuid: string }> {
    const quota = await this.query.getOrganizationQuota(input.scope, input.guid);
    if (!input.scope.all) throw notAuthorized();
    const inUse = () =>
      identityError(
        IdentityErrorCode.QuotaInUse,
        `Organization quota '${quota.name}' is applied to one or more organizations. Apply different quotas to those organizations before deleting.`,
      );
    if ((await this.orgs.countUsingQuota(quota.guid)) > 0) throw inUse();
    try {
      await this.quotas.delete(quota.guid);
    } catch (err) {
      // An organization given the quota since the count: its foreign key keeps the quota.
      if ((await this.orgs.countUsingQuota(quota.guid)) > 0) throw inUse();
      throw err;
    }
    const job = await this.jobs.recordCompleted({
      operation: 'organization_quota.delete',
      resourceType: 'organization_quota',
      resourceGuid: quota.guid,
      userGuid: input.principal.userGuid,
    });
    return { jobGuid: job.guid };
  }
}

/**
 * POST /v3/organization_quotas/:guid/relationships/organizations: admins only. Each organization
 * has exactly one quota, so applying replaces the one it had.
 */
@Injectable()
export class OrganizationQuotaApplyAction {
  constructor(
    private readonly orgs: OrganizationRepository,
    private readonly query: QuotaQueryService,
  ) {}

  async execute(input: {
    scope: Visibility;
    guid: string;
    organizationGuids: string[];
  }): Promise<string[]> {
    const quota = await this.query.getOrganizationQuota(input.scope, input.guid);
    if (!input.scope.all) throw notAuthorized();
    await requireOrganizations(this.orgs, input.organizationGuids);
    await this.orgs.setQuota(input.organizationGuids, quota.guid);
    return this.query.organizationsUsing(input.scope, quota.guid);
  }
}
