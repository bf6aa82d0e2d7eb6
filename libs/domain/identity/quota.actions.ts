import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Principal, Visibility } from '@wharf/access';
import type { AuditActor } from '@wharf/events';
import { isUniqueViolation } from '@wharf/platform/db';
import { JobRecordRepository } from '@wharf/platform/queue';
import { IdentityAudit } from './identity-audit';
import { UNLIMITED } from './quota-limits.columns';
import type { QuotaKind, QuotaLimitsPatch, QuotaScope, QuotaTypes } from './quota.scope';

/*
 * Creating, changing, applying and deleting organization and space quotas: one way for both,
 * given the kind's QuotaScope (who may, where a name is unique, what it is applied to).
 */

/** What a kind of quota is applied to, as its audit events name it: `organization`, `space`. */
const appliedToOf = (kind: QuotaKind): string => kind.replace(/_quota$/, '');

async function saveNamed<T extends QuotaTypes>(
  quotas: QuotaScope<T>,
  quota: T['quota'],
): Promise<T['quota']> {
  try {
    return await quotas.save(quota);
  } catch (err) {
    // Two concurrent creates or renames: the unique index decides.
    if (isUniqueViolation(err)) throw quotas.nameTaken(quota.name);
    throw err;
  }
}

/** POST /v3/{organization,space}_quotas, optionally applied at once. */
@Injectable()
export class QuotaCreateAction {
  constructor(private readonly audit: IdentityAudit) {}

  async execute<T extends QuotaTypes>(
    quotas: QuotaScope<T>,
    input: {
      scope: Visibility;
      actor: AuditActor;
      /** What the caller sent, as the audit event records it (CF's `data.request`). */
      request: object;
      name: string;
      limits?: QuotaLimitsPatch;
      /** The organizations or spaces to apply it to. */
      appliedTo?: string[];
      options: T['create'];
    },
  ): Promise<T['quota']> {
    const draft = await quotas.draft(
      input.scope,
      { guid: randomUUID(), name: input.name, limits: { ...UNLIMITED, ...input.limits } },
      input.options,
    );
    if (await quotas.nameUsed(draft, input.name)) throw quotas.nameTaken(input.name);
    await quotas.requireTargets(draft, input.appliedTo ?? []);
    const quota = await saveNamed(quotas, draft);
    await quotas.applyTo(input.appliedTo ?? [], quota);
    await this.audit.quota(input.actor, quotas.kind, 'create', quota, { request: input.request });
    return quota;
  }
}

/** PATCH /v3/{organization,space}_quotas/:guid. Usage already over a new limit stays. */
@Injectable()
export class QuotaUpdateAction {
  constructor(private readonly audit: IdentityAudit) {}

  async execute<T extends QuotaTypes>(
    quotas: QuotaScope<T>,
    input: {
      scope: Visibility;
      actor: AuditActor;
      /** What the caller sent, as the audit event records it (CF's `data.request`). */
      request: object;
      guid: string;
      name?: string;
      limits?: QuotaLimitsPatch;
      options: T['update'];
    },
  ): Promise<T['quota']> {
    const quota = await quotas.toChange(input.scope, input.guid);
    if (input.name !== undefined && input.name !== quota.name) {
      if (await quotas.nameUsed(quota, input.name)) throw quotas.nameTaken(input.name);
      quota.name = input.name;
    }
    quota.limits = { ...quota.limits, ...input.limits };
    quotas.amend(quota, input.options);
    const saved = await saveNamed(quotas, quota);
    await this.audit.quota(input.actor, quotas.kind, 'update', saved, { request: input.request });
    return saved;
  }
}

/**
 * DELETE /v3/{organization,space}_quotas/:guid: refused while applied to anything. CF answers
 * with a job; deleting the row is one statement, so the job is recorded already complete.
 */
@Injectable()
export class QuotaDeleteAction {
  constructor(
    private readonly jobs: JobRecordRepository,
    private readonly audit: IdentityAudit,
  ) {}

  async execute<T extends QuotaTypes>(
    quotas: QuotaScope<T>,
    input: { scope: Visibility; principal: Principal; actor: AuditActor; guid: string },
  ): Promise<{ jobGuid: string }> {
    const quota = await quotas.toChange(input.scope, input.guid);
    if ((await quotas.countApplied(quota)) > 0) throw quotas.inUse(quota);
    try {
      await quotas.delete(quota);
    } catch (err) {
      // Applied since the count: the foreign key of what it was applied to keeps the quota.
      if ((await quotas.countApplied(quota)) > 0) throw quotas.inUse(quota);
      throw err;
    }
    const job = await this.jobs.recordCompleted({
      operation: `${quotas.kind}.delete`,
      resourceType: quotas.kind,
      resourceGuid: quota.guid,
      userGuid: input.principal.userGuid,
    });
    await this.audit.quota(input.actor, quotas.kind, 'delete-request', quota);
    return { jobGuid: job.guid };
  }
}

/**
 * POST /v3/{organization,space}_quotas/:guid/relationships/{organizations,spaces}. An
 * organization has exactly one quota and a space at most one space quota, so applying replaces
 * the one it had. Answers with what the quota is now applied to, as the caller sees it.
 */
@Injectable()
export class QuotaApplyAction {
  constructor(private readonly audit: IdentityAudit) {}

  async execute<T extends QuotaTypes>(
    quotas: QuotaScope<T>,
    input: { scope: Visibility; actor: AuditActor; guid: string; appliedTo: string[] },
  ): Promise<string[]> {
    const quota = await quotas.toChange(input.scope, input.guid);
    await quotas.requireTargets(quota, input.appliedTo);
    await quotas.applyTo(input.appliedTo, quota);
    await this.audit.quota(input.actor, quotas.kind, 'apply', quota, {
      [`${appliedToOf(quotas.kind)}_guids`]: input.appliedTo,
    });
    return quotas.appliedTo(input.scope, quota);
  }
}

/** DELETE /v3/space_quotas/:guid/relationships/spaces/:space_guid: only space quotas come off. */
@Injectable()
export class QuotaRemoveAction {
  constructor(private readonly audit: IdentityAudit) {}

  async execute<T extends QuotaTypes>(
    quotas: QuotaScope<T>,
    input: { scope: Visibility; actor: AuditActor; guid: string; appliedTo: string },
  ): Promise<void> {
    const quota = await quotas.toChange(input.scope, input.guid);
    if (!quotas.removeFrom) throw new Error(`A ${quotas.kind} cannot be removed, only replaced`);
    await quotas.removeFrom(quota, input.appliedTo);
    await this.audit.quota(input.actor, quotas.kind, 'remove', quota, {
      [`${appliedToOf(quotas.kind)}_guid`]: input.appliedTo,
    });
  }
}
