import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditActor, AuditEventRecordAction } from '@wharf/events';
import { requireDeveloper, Visibility } from '@wharf/access';
import {
  checkPaidPlan,
  checkQuotaTotal,
  IdentityQueryService,
  QuotaLock,
  QuotaQueryService,
  type QuotaViolation,
} from '@wharf/identity';
import { JobBus, UserJobLauncher } from '@wharf/platform/queue';
import { SecretBox } from '@wharf/platform/secrets';
import { ParametersValidator } from './parameters.validator';
import { ServiceCatalogQueryService } from './service-catalog-query.service';
import { ServiceInstanceEntity } from './service-instance.entity';
import { ServiceInstanceRepository } from './service-instance.repository';
import {
  auditInstance,
  instanceNameTaken,
  launchOperation,
  saveInstance,
  validInstanceName,
} from './service-instance.rules';
import { ServicesQueryService } from './services-query.service';
import { ServicesErrorCode, servicesError } from './services.errors';

/** 409 while the broker is still working on the previous operation (CF 60016). */
export function assertNoOperationInProgress(instance: ServiceInstanceEntity): void {
  const state = instance.lastOperation.state;
  if (state === 'initial' || state === 'in progress')
    throw servicesError(
      ServicesErrorCode.OperationInProgress,
      `An operation for service instance ${instance.name} is in progress.`,
    );
}

const audit = (
  events: AuditEventRecordAction,
  instance: ServiceInstanceEntity,
  type: string,
  actor: AuditActor | undefined,
  request: Record<string, unknown>,
  manager: EntityManager,
) =>
  auditInstance(events, instance, 'service_instance', { type, actor, data: { request } }, manager);

/**
 * POST /v3/service_instances with `type: managed`: records the instance with a `create` operation
 * in state `initial` and starts the job that asks the broker to provision it (202 + job).
 */
@Injectable()
export class ManagedInstanceCreateAction {
  constructor(
    private readonly repo: ServiceInstanceRepository,
    private readonly identity: IdentityQueryService,
    private readonly catalog: ServiceCatalogQueryService,
    private readonly parameters: ParametersValidator,
    private readonly box: SecretBox,
    private readonly launcher: UserJobLauncher,
    private readonly events: AuditEventRecordAction,
    private readonly quotas: QuotaQueryService,
    private readonly quotaLock: QuotaLock,
  ) {}

  async execute(input: {
    scope: Visibility;
    userGuid: string | null;
    spaceGuid: string;
    name: string;
    planGuid: string;
    parameters?: Record<string, unknown>;
    tags?: string[];
    actor?: AuditActor;
  }): Promise<{ instance: ServiceInstanceEntity; jobGuid: string }> {
    const space = await this.identity.getSpace(input.scope, input.spaceGuid).catch(() => {
      throw servicesError(
        ServicesErrorCode.InvalidServiceInstance,
        'Invalid space. Ensure that the space exists and you have access to it.',
      );
    });
    requireDeveloper(input.scope, space.guid);
    const name = validInstanceName(input.name);
    const { plan } = await this.catalog.planForSpace(
      input.scope,
      input.planGuid,
      space.organizationGuid,
    );
    this.parameters.check(
      plan.schemas.service_instance?.create?.parameters,
      input.parameters,
      'service instance',
    );
    if (await this.repo.findByName(space.guid, name)) throw instanceNameTaken(name);
    const guid = randomUUID();
    let instance: ServiceInstanceEntity | undefined;
    // From the count of instances to the save, no other instance is made in the organization.
    const { jobGuid } = await this.quotaLock.inOrganization(space.organizationGuid, async () => {
      await this.checkQuota(space.guid, name, plan, 'created');
      return launchOperation(
        this.launcher,
        'service_instance.operate',
        { type: 'create', guid, userGuid: input.userGuid },
        { instanceGuid: guid, poll: 0 },
        async (lastOperation, tx) => {
          const saved = await saveInstance(
            this.repo,
            {
              guid,
              name,
              type: 'managed',
              spaceGuid: space.guid,
              servicePlanGuid: plan.guid,
              credentialsSealed: null,
              tags: input.tags ?? [],
              syslogDrainUrl: null,
              routeServiceUrl: null,
              dashboardUrl: null,
              pendingParametersSealed: input.parameters
                ? this.box.sealJson(input.parameters)
                : null,
              pendingPlanGuid: null,
              lastOperation,
              labels: {},
              annotations: {},
            },
            tx.manager,
          );
          await audit(
            this.events,
            saved,
            'audit.service_instance.create',
            input.actor,
            {
              name,
              service_plan_guid: plan.guid,
              tags: saved.tags,
              ...(input.parameters ? { parameters: '[PRIVATE DATA HIDDEN]' } : {}),
            },
            tx.manager,
          );
          instance = saved;
        },
      );
    });
    if (!instance) throw new Error('the service instance was not recorded');
    return { instance, jobGuid };
  }

  /**
   * total_service_instances of the organization's and the space's quotas. CF counts managed
   * instances only: user-provided ones cost the platform nothing.
   */
  private async checkQuota(
    spaceGuid: string,
    name: string,
    plan: { name: string; free: boolean },
    done: string,
  ): Promise<void> {
    const q = await this.quotas.effectiveQuotaOfSpace(spaceGuid);
    const paid = checkPaidPlan(q, plan, done);
    if (paid) throw paidPlanRefused(paid);
    const [inOrg, inSpace] = await Promise.all([
      this.repo.countManagedInSpaces(q.organizationSpaceGuids),
      this.repo.countManagedInSpaces([spaceGuid]),
    ]);
    const v = checkQuotaTotal(
      q,
      'service_instances',
      { organization: inOrg, space: inSpace },
      1,
      `creating service instance '${name}'`,
    );
    if (v) {
      throw servicesError(
        v.owner === 'space'
          ? ServicesErrorCode.ServiceInstanceSpaceQuotaExceeded
          : ServicesErrorCode.ServiceInstanceQuotaExceeded,
        v.detail,
      );
    }
  }
}

/** CF's errors for a plan that is not free where a quota allows only free ones. */
function paidPlanRefused(v: QuotaViolation) {
  return servicesError(
    v.owner === 'space'
      ? ServicesErrorCode.ServiceInstanceServicePlanNotAllowedBySpaceQuota
      : ServicesErrorCode.ServiceInstanceServicePlanNotAllowed,
    v.detail,
  );
}

/**
 * PATCH /v3/service_instances/:guid of a managed instance. Name and tags change at once (200);
 * a new plan or parameters go to the broker in a job (202).
 */
@Injectable()
export class ManagedInstanceUpdateAction {
  constructor(
    private readonly repo: ServiceInstanceRepository,
    private readonly query: ServicesQueryService,
    private readonly identity: IdentityQueryService,
    private readonly catalog: ServiceCatalogQueryService,
    private readonly parameters: ParametersValidator,
    private readonly box: SecretBox,
    private readonly launcher: UserJobLauncher,
    private readonly events: AuditEventRecordAction,
    private readonly quotas: QuotaQueryService,
    private readonly jobs: JobBus,
  ) {}

  async execute(input: {
    scope: Visibility;
    userGuid: string | null;
    guid: string;
    name?: string;
    tags?: string[];
    planGuid?: string;
    parameters?: Record<string, unknown>;
    actor?: AuditActor;
  }): Promise<{ instance: ServiceInstanceEntity; jobGuid: string | null }> {
    const instance = await this.query.getInstanceToChange(input.scope, input.guid);
    if (instance.type !== 'managed')
      throw servicesError(
        ServicesErrorCode.InvalidServiceInstance,
        'Not a managed service instance.',
      );
    assertNoOperationInProgress(instance);
    const toBroker = input.planGuid !== undefined || input.parameters !== undefined;
    let newPlanGuid: string | null = null;
    if (toBroker) {
      if (instance.lastOperation.type === 'create' && instance.lastOperation.state === 'failed')
        throw servicesError(
          ServicesErrorCode.UnableToPerform,
          `Service instance ${instance.name} failed to be created; delete it and create it again.`,
        );
      const current = await this.catalog.catalogOfPlanGuid(instance.servicePlanGuid);
      if (!current)
        throw servicesError(
          ServicesErrorCode.InvalidServiceInstance,
          'The service plan of this instance no longer exists.',
        );
      let target = current;
      if (input.planGuid !== undefined && input.planGuid !== current.plan.guid) {
        const space = await this.identity.getSpace(input.scope, instance.spaceGuid);
        target = await this.catalog.planForSpace(
          input.scope,
          input.planGuid,
          space.organizationGuid,
        );
        if (target.offering.guid !== current.offering.guid)
          throw servicesError(
            ServicesErrorCode.InvalidServiceInstance,
            'The service plan must belong to the same service offering as the current plan.',
          );
        if (!(current.plan.planUpdateable ?? current.offering.planUpdateable))
          throw servicesError(
            ServicesErrorCode.InvalidServiceInstance,
            `The service offering ${current.offering.name} does not support changing plans.`,
          );
        const paid = checkPaidPlan(
          await this.quotas.effectiveQuotaOfSpace(instance.spaceGuid),
          target.plan,
          'updated',
        );
        if (paid) throw paidPlanRefused(paid);
        newPlanGuid = target.plan.guid;
      }
      this.parameters.check(
        target.plan.schemas.service_instance?.update?.parameters,
        input.parameters,
        'service instance',
      );
    }
    if (input.name !== undefined) {
      const name = validInstanceName(input.name);
      const other = await this.repo.findByName(instance.spaceGuid, name);
      if (other && other.guid !== instance.guid) throw instanceNameTaken(name);
      instance.name = name;
    }
    if (input.tags !== undefined) instance.tags = input.tags;
    const request = {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.tags !== undefined ? { tags: input.tags } : {}),
      ...(newPlanGuid ? { service_plan_guid: newPlanGuid } : {}),
      ...(input.parameters !== undefined ? { parameters: '[PRIVATE DATA HIDDEN]' } : {}),
    };
    if (!toBroker) {
      // The change and its event commit together.
      const saved = await this.jobs.transaction(async (tx) => {
        const saved = await saveInstance(this.repo, instance, tx.manager);
        await audit(
          this.events,
          saved,
          'audit.service_instance.update',
          input.actor,
          request,
          tx.manager,
        );
        return saved;
      });
      return { instance: saved, jobGuid: null };
    }
    let saved: ServiceInstanceEntity = instance;
    const { jobGuid } = await launchOperation(
      this.launcher,
      'service_instance.operate',
      { type: 'update', guid: instance.guid, userGuid: input.userGuid },
      { instanceGuid: instance.guid, poll: 0 },
      async (lastOperation, tx) => {
        instance.pendingPlanGuid = newPlanGuid;
        instance.pendingParametersSealed = input.parameters
          ? this.box.sealJson(input.parameters)
          : null;
        instance.lastOperation = lastOperation;
        saved = await saveInstance(this.repo, instance, tx.manager);
        await audit(
          this.events,
          saved,
          'audit.service_instance.update',
          input.actor,
          request,
          tx.manager,
        );
      },
    );
    return { instance: saved, jobGuid };
  }
}

/**
 * DELETE /v3/service_instances/:guid of a managed instance: refused while bindings or keys
 * exist; otherwise the broker deprovisions it in a job and the row goes once it confirms.
 */
@Injectable()
export class ManagedInstanceDeleteAction {
  constructor(
    private readonly repo: ServiceInstanceRepository,
    private readonly query: ServicesQueryService,
    private readonly launcher: UserJobLauncher,
    private readonly events: AuditEventRecordAction,
  ) {}

  async execute(input: {
    scope: Visibility;
    userGuid: string | null;
    guid: string;
    actor?: AuditActor;
  }): Promise<{ jobGuid: string }> {
    const instance = await this.query.getInstanceToChange(input.scope, input.guid);
    if (instance.type !== 'managed')
      throw servicesError(
        ServicesErrorCode.InvalidServiceInstance,
        'Not a managed service instance.',
      );
    assertNoOperationInProgress(instance);
    const bindings = await this.repo.countBindings(instance.guid);
    if (bindings > 0)
      throw servicesError(
        ServicesErrorCode.AssociationNotEmpty,
        `Cannot delete service instance ${instance.name}: it has ${bindings} binding${bindings === 1 ? '' : 's'} or service key${bindings === 1 ? '' : 's'}. Unbind the apps and delete the keys first.`,
      );
    return launchOperation(
      this.launcher,
      'service_instance.operate',
      { type: 'delete', guid: instance.guid, userGuid: input.userGuid },
      { instanceGuid: instance.guid, poll: 0 },
      async (lastOperation, tx) => {
        await this.repo.updateInstance(instance.guid, { lastOperation }, tx.manager);
        await audit(
          this.events,
          instance,
          'audit.service_instance.delete',
          input.actor,
          {},
          tx.manager,
        );
      },
    );
  }
}
