import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Principal, Visibility } from '@wharf/access';
import type { AuditActor } from '@wharf/events';
import { isUniqueViolation } from '@wharf/platform/db';
import { JobBus, JobRecordRepository, JobTransaction } from '@wharf/platform/queue';
import { IdentityAudit } from './identity-audit';
import { UNLIMITED } from './quota-limits.columns';
import type { QuotaKind, QuotaLimitsPatch, QuotaScope, QuotaTypes } from './quota.scope';

/*
 * Creating, changing, applying and deleting organization and space quotas: one way for both,
 * given the kind's QuotaScope (who may, where a name is unique, what it is applied to). Each
 * change commits with its audit event in one JobBus.transaction.
 */

/** What a kind of quota is applied to, as its audit events name it: `organization`, `space`. */
const appliedToOf = (kind: QuotaKind): string => kind.replace(/_quota$/, '');

/** `work`, which saves `quota` under its name, in one transaction; a taken name is CF's error. */
async function savingNamed<T extends QuotaTypes, R>(
  bus: JobBus,
  quotas: QuotaScope<T>,
  quota: T['quota'],
  work: (tx: JobTransaction) => Promise<R>,
): Promise<R> {
  try {
    return await bus.transaction(work);
  } catch (err) {
    // Two concurrent creates or renames: the unique index decides.
    if (isUniqueViolation(err)) throw quotas.nameTaken(quota.name);
    throw err;
  }
}

/** POST /v3/{organization,space}_quotas, optionally applied at once. */
@Injectable()
export class QuotaCreateAction {
  constructor(
    private readonly audit: IdentityAudit,
    private readonly jobs: JobBus,
  ) {}

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
    return savingNamed(this.jobs, quotas, draft, async (tx) => {
      const quota = await quotas.save(draft, tx.manager);
      await quotas.applyTo(input.appliedTo ?? [], quota, tx.manager);
      await this.audit.quota(
        input.actor,
        quotas.kind,
        'create',
        quota,
        { request: input.request },
        tx.manager,
      );
      return quota;
    });
  }
}

/** PATCH /v3/{organization,space}_quotas/:guid. Usage already over a new limit stays. */
@Injectable()
export class QuotaUpdateAction {
  constructor(
    private readonly audit: IdentityAudit,
    private readonly jobs: JobBus,
  ) {}

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
    return savingNamed(this.jobs, quotas, quota, async (tx) => {
      const saved = await quotas.save(quota, tx.manager);
      await this.audit.quota(
        input.actor,
        quotas.kind,
        'update',
        saved,
        { request: input.request },
        tx.manager,
      );
      return saved;
    });
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
    private readonly bus: JobBus,
  ) {}

  async execute<T extends QuotaTypes>(
    quotas: QuotaScope<T>,
    input: { scope: Visibility; principal: Principal; actor: AuditActor; guid: string },
  ): Promise<{ jobGuid: string }> {
    const quota = await quotas.toChange(input.scope, input.guid);
    if ((await quotas.countApplied(quota)) > 0) throw quotas.inUse(quota);
    try {
      // The deletion, its (complete) job and its event commit together.
      return await this.bus.transaction(async (tx) => {
        await quotas.delete(quota, tx.manager);
        const job = await this.jobs.recordCompleted(
          {
            operation: `${quotas.kind}.delete`,
            resourceType: quotas.kind,
            resourceGuid: quota.guid,
            userGuid: input.principal.userGuid,
          },
          tx.manager,
        );
        await this.audit.quota(input.actor, quotas.kind, 'delete-request', quota, {}, tx.manager);
        return { jobGuid: job.guid };
      });
    } catch (err) {
      // Applied since the count: the foreign key of what it was applied to keeps the quota.
      if ((await quotas.countApplied(quota)) > 0) throw quotas.inUse(quota);
      throw err;
    }
  }
}

/**
 * POST /v3/{organization,space}_quotas/:guid/relationships/{organizations,spaces}. An
 * organization has exactly one quota and a space at most one space quota, so applying replaces
 * the one it had. Answers with what the quota is now applied to, as the caller sees it.
 */
@Injectable()
export class QuotaApplyAction {
  constructor(
    private readonly audit: IdentityAudit,
    private readonly jobs: JobBus,
  ) {}

  async execute<T extends QuotaTypes>(
    quotas: QuotaScope<T>,
    input: { scope: Visibility; actor: AuditActor; guid: string; appliedTo: string[] },
  ): Promise<string[]> {
    const quota = await quotas.toChange(input.scope, input.guid);
    await quotas.requireTargets(quota, input.appliedTo);
    await this.jobs.transaction(async (tx) => {
      await quotas.applyTo(input.appliedTo, quota, tx.manager);
      await this.audit.quota(
        input.actor,
        quotas.kind,
        'apply',
        quota,
        { [`${appliedToOf(quotas.kind)}_guids`]: input.appliedTo },
        tx.manager,
      );
    });
    return quotas.appliedTo(input.scope, quota);
  }
}

/** DELETE /v3/space_quotas/:guid/relationships/spaces/:space_guid: only space quotas come off. */
@Injectable()
export class QuotaRemoveAction {
  constructor(
    private readonly audit: IdentityAudit,
    private readonly jobs: JobBus,
  ) {}

  async execute<T extends QuotaTypes>(
    quotas: QuotaScope<T>,
    input: { scope: Visibility; actor: AuditActor; guid: string; appliedTo: string },
  ): Promise<void> {
    const quota = await quotas.toChange(input.scope, input.guid);
    if (!quotas.removeFrom) throw new Error(`A ${quotas.kind} cannot be removed, only replaced`);
    const removeFrom = quotas.removeFrom.bind(quotas);
    await this.jobs.transaction(async (tx) => {
      await removeFrom(quota, input.appliedTo, tx.manager);
      await this.audit.quota(
        input.actor,
        quotas.kind,
        'remove',
        quota,
        { [`${appliedToOf(quotas.kind)}_guid`]: input.appliedTo },
        tx.manager,
      );
    });
  }
}
