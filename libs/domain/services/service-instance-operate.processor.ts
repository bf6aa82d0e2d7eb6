import { Inject, Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { JobPayloads } from '@wharf/contracts';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';
import { isUuid } from '@wharf/platform/db';
import { JobBus, JobHandler, JobProcessor } from '@wharf/platform/queue';
import { SecretBox } from '@wharf/platform/secrets';
import { BrokerEndpoints } from './broker-endpoints';
import { BrokerContextBuilder, OperationJobs, pollingExpired } from './broker-operation.support';
import { OperationState, OperationType } from './last-operation.columns';
import { OsbClient } from './osb/osb-client';
import { createOutcome, deleteOutcome, pollOutcome, updateOutcome } from './osb/osb-outcome';
import { PlanInCatalog, ServiceCatalogQueryService } from './service-catalog-query.service';
import { ServiceInstanceEntity } from './service-instance.entity';
import { ServiceInstanceRepository } from './service-instance.repository';

const VERB: Record<OperationType, string> = {
  create: 'provision',
  update: 'update',
  delete: 'deprovision',
};

/**
 * Carries a managed instance's last operation to its broker (OSB v2.17, always with
 * accepts_incomplete=true) and follows it to the end. Level-based on the instance row: state
 * `initial` sends the request, `in progress` polls last_operation, anything else is done. A worker
 * that dies mid-step runs the step again: a repeated provision is answered 200 by a conforming
 * broker, and a repeated poll is harmless. Each poll is a new job (poll n+1) delayed by the
 * broker's Retry-After or a growing interval, so no worker slot waits on a broker.
 */
@Injectable()
@JobHandler('service_instance.operate')
export class ServiceInstanceOperateProcessor implements JobProcessor<'service_instance.operate'> {
  private readonly logger = new Logger('ServiceInstanceOperate');

  constructor(
    private readonly repo: ServiceInstanceRepository,
    private readonly catalog: ServiceCatalogQueryService,
    private readonly endpoints: BrokerEndpoints,
    private readonly contexts: BrokerContextBuilder,
    private readonly osb: OsbClient,
    private readonly box: SecretBox,
    private readonly jobs: OperationJobs,
    private readonly bus: JobBus,
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
  ) {}

  async handle(payload: JobPayloads['service_instance.operate']): Promise<void> {
    if (!isUuid(payload?.jobGuid) || !isUuid(payload?.instanceGuid))
      throw new UnrecoverableError('service_instance.operate needs jobGuid and instanceGuid');
    const instance = await this.repo.findByGuid(payload.instanceGuid);
    const op = instance?.lastOperation;
    // Gone, finished, or superseded by a newer operation: nothing left for this job.
    if (!instance || !op || (op.jobGuid && op.jobGuid !== payload.jobGuid)) {
      await this.jobs.complete(payload.jobGuid);
      return;
    }
    if (op.state !== 'initial' && op.state !== 'in progress') return;
    const found = await this.catalog.catalogOfPlanGuid(instance.servicePlanGuid);
    if (!found) {
      await this.finish(instance, payload.jobGuid, 'failed', 'The service plan no longer exists.');
      return;
    }
    if (op.state === 'initial') await this.send(instance, found, payload);
    else await this.poll(instance, found, payload);
  }

  private async send(
    instance: ServiceInstanceEntity,
    found: PlanInCatalog,
    payload: JobPayloads['service_instance.operate'],
  ): Promise<void> {
    const { plan, offering, broker } = found;
    const endpoint = this.endpoints.of(broker);
    const path = `/v2/service_instances/${instance.guid}`;
    const type = instance.lastOperation.type;
    const parameters = instance.pendingParametersSealed
      ? this.box.openJson<Record<string, unknown>>(instance.pendingParametersSealed)
      : undefined;
    const userGuid = await this.jobs.userOf(payload.jobGuid);
    if (type === 'create') {
      const ctx = await this.contexts.forSpace(instance.spaceGuid, instance.name);
      const res = await this.osb.call(endpoint, {
        method: 'PUT',
        path,
        query: { accepts_incomplete: 'true' },
        userGuid,
        body: {
          service_id: offering.catalogId,
          plan_id: plan.catalogId,
          organization_guid: ctx.organizationGuid,
          space_guid: ctx.spaceGuid,
          context: ctx.context,
          ...(parameters ? { parameters } : {}),
          ...(plan.maintenanceInfo ? { maintenance_info: plan.maintenanceInfo } : {}),
        },
      });
      const outcome = createOutcome(res, 'provision');
      if (outcome.kind === 'done') {
        await this.repo.updateInstance(instance.guid, {
          dashboardUrl:
            typeof outcome.body.dashboard_url === 'string' ? outcome.body.dashboard_url : null,
          pendingParametersSealed: null,
        });
        await this.finish(instance, payload.jobGuid, 'succeeded', null);
      } else if (outcome.kind === 'async') {
        await this.repo.updateInstance(instance.guid, { pendingParametersSealed: null });
        await this.startPolling(instance, payload, outcome.operation, outcome.retryAfterSeconds);
      } else {
        if (outcome.mitigate)
          await this.bus.enqueue(
            'service_instance.orphan_mitigate',
            {
              brokerGuid: broker.guid,
              instanceGuid: instance.guid,
              serviceId: offering.catalogId,
              planId: plan.catalogId,
            },
            { key: instance.guid },
          );
        await this.repo.updateInstance(instance.guid, { pendingParametersSealed: null });
        await this.finish(instance, payload.jobGuid, 'failed', outcome.description);
      }
      return;
    }
    if (type === 'update') {
      const ctx = await this.contexts.forSpace(instance.spaceGuid, instance.name);
      const target = instance.pendingPlanGuid
        ? await this.catalog.catalogOfPlanGuid(instance.pendingPlanGuid)
        : found;
      const res = await this.osb.call(endpoint, {
        method: 'PATCH',
        path,
        query: { accepts_incomplete: 'true' },
        userGuid,
        body: {
          service_id: offering.catalogId,
          ...(instance.pendingPlanGuid && target ? { plan_id: target.plan.catalogId } : {}),
          ...(parameters ? { parameters } : {}),
          context: ctx.context,
          previous_values: {
            service_id: offering.catalogId,
            plan_id: plan.catalogId,
            organization_id: ctx.organizationGuid,
            space_id: ctx.spaceGuid,
            ...(plan.maintenanceInfo ? { maintenance_info: plan.maintenanceInfo } : {}),
          },
        },
      });
      const outcome = updateOutcome(res);
      if (outcome.kind === 'done') {
        await this.applyUpdate(instance, outcome.body);
        await this.finish(instance, payload.jobGuid, 'succeeded', null);
      } else if (outcome.kind === 'async') {
        await this.repo.updateInstance(instance.guid, { pendingParametersSealed: null });
        await this.startPolling(instance, payload, outcome.operation, outcome.retryAfterSeconds);
      } else {
        await this.repo.updateInstance(instance.guid, {
          pendingParametersSealed: null,
          pendingPlanGuid: null,
        });
        await this.finish(instance, payload.jobGuid, 'failed', outcome.description);
      }
      return;
    }
    const res = await this.osb.call(endpoint, {
      method: 'DELETE',
      path,
      userGuid,
      query: {
        accepts_incomplete: 'true',
        service_id: offering.catalogId,
        plan_id: plan.catalogId,
      },
    });
    const outcome = deleteOutcome(res);
    if (outcome.kind === 'done') await this.removed(instance, payload.jobGuid);
    else if (outcome.kind === 'async')
      await this.startPolling(instance, payload, outcome.operation, outcome.retryAfterSeconds);
    else await this.finish(instance, payload.jobGuid, 'failed', outcome.description);
  }

  private async poll(
    instance: ServiceInstanceEntity,
    found: PlanInCatalog,
    payload: JobPayloads['service_instance.operate'],
  ): Promise<void> {
    const { plan, offering, broker } = found;
    const op = instance.lastOperation;
    if (pollingExpired(op.startedAt, plan.maximumPollingDuration, this.config.osb.maxPollSeconds)) {
      await this.finish(
        instance,
        payload.jobGuid,
        'failed',
        `Service broker failed to ${VERB[op.type]} within the required time.`,
      );
      return;
    }
    const res = await this.osb.call(this.endpoints.of(broker), {
      method: 'GET',
      path: `/v2/service_instances/${instance.guid}/last_operation`,
      query: {
        service_id: offering.catalogId,
        plan_id: plan.catalogId,
        operation: op.brokerOperation ?? undefined,
      },
    });
    const outcome = pollOutcome(res);
    switch (outcome.kind) {
      case 'succeeded':
        if (op.type === 'delete') await this.removed(instance, payload.jobGuid);
        else {
          if (op.type === 'update') await this.applyUpdate(instance, {});
          await this.finish(instance, payload.jobGuid, 'succeeded', outcome.description);
        }
        return;
      case 'failed':
        if (op.type === 'update')
          await this.repo.updateInstance(instance.guid, { pendingPlanGuid: null });
        await this.finish(
          instance,
          payload.jobGuid,
          'failed',
          outcome.description ?? `The service broker reported that the ${VERB[op.type]} failed.`,
        );
        return;
      case 'gone':
        if (op.type === 'delete') await this.removed(instance, payload.jobGuid);
        else
          await this.finish(
            instance,
            payload.jobGuid,
            'failed',
            'The service broker no longer knows this service instance (410 Gone).',
          );
        return;
      case 'in progress':
        await this.repo.updateInstance(instance.guid, {
          lastOperation: { description: outcome.description, updatedAt: new Date() },
        });
        await this.jobs.pollAgain(
          { name: 'service_instance.operate', payload },
          outcome.retryAfterSeconds,
        );
        return;
      case 'retry':
        this.logger.warn(`polling ${instance.guid}: ${outcome.reason}`);
        await this.jobs.pollAgain(
          { name: 'service_instance.operate', payload },
          outcome.retryAfterSeconds,
        );
        return;
    }
  }

  private async startPolling(
    instance: ServiceInstanceEntity,
    payload: JobPayloads['service_instance.operate'],
    operation: string | null,
    retryAfterSeconds: number | null,
  ): Promise<void> {
    const now = new Date();
    await this.repo.updateInstance(instance.guid, {
      lastOperation: {
        state: 'in progress',
        brokerOperation: operation,
        startedAt: now,
        updatedAt: now,
      },
    });
    await this.jobs.startPolling({ name: 'service_instance.operate', payload }, retryAfterSeconds);
  }

  /** The broker accepted the update: the instance now has the plan it asked for. */
  private async applyUpdate(
    instance: ServiceInstanceEntity,
    body: Record<string, unknown>,
  ): Promise<void> {
    await this.repo.updateInstance(instance.guid, {
      ...(instance.pendingPlanGuid ? { servicePlanGuid: instance.pendingPlanGuid } : {}),
      ...(typeof body.dashboard_url === 'string' ? { dashboardUrl: body.dashboard_url } : {}),
      pendingPlanGuid: null,
      pendingParametersSealed: null,
    });
  }

  private async finish(
    instance: ServiceInstanceEntity,
    jobGuid: string,
    state: Extract<OperationState, 'succeeded' | 'failed'>,
    description: string | null,
  ): Promise<void> {
    const type = instance.lastOperation.type;
    await this.repo.updateInstance(instance.guid, {
      lastOperation: { state, description, updatedAt: new Date() },
    });
    if (state === 'succeeded') {
      await this.jobs.complete(jobGuid);
      return;
    }
    throw this.jobs.failure(VERB[type], description);
  }

  private async removed(instance: ServiceInstanceEntity, jobGuid: string): Promise<void> {
    await this.repo.delete(instance.guid);
    await this.jobs.complete(jobGuid);
  }
}
