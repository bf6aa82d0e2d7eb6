import { Inject, Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { JobPayloads } from '@wharf/contracts';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';
import { isUuid } from '@wharf/platform/db';
import { JobBus, JobHandler, JobProcessor } from '@wharf/platform/queue';
import { SecretBox } from '@wharf/platform/secrets';
import { BrokerEndpoints } from './broker-endpoints';
import { BrokerContextBuilder, OperationJobs, pollingExpired } from './broker-operation.support';
import { OperationState } from './last-operation.columns';
import { OsbClient } from './osb/osb-client';
import { createOutcome, deleteOutcome, describeAnswer, pollOutcome } from './osb/osb-outcome';
import { PlanInCatalog, ServiceCatalogQueryService } from './service-catalog-query.service';
import { ServiceCredentialBindingEntity } from './service-credential-binding.entity';
import { ServiceInstanceEntity } from './service-instance.entity';
import { ServiceInstanceRepository } from './service-instance.repository';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Carries a binding's (or service key's) last operation to the broker and follows it, like
 * ServiceInstanceOperateProcessor does for instances: `initial` sends the bind or unbind,
 * `in progress` polls. A bind whose outcome is unknown (timeout, 5xx, garbage) ends `failed` and
 * is orphan-mitigated: the broker is told to delete what it may have created.
 */
@Injectable()
@JobHandler('service_binding.operate')
export class ServiceBindingOperateProcessor implements JobProcessor<'service_binding.operate'> {
  private readonly logger = new Logger('ServiceBindingOperate');

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

  async handle(payload: JobPayloads['service_binding.operate']): Promise<void> {
    if (!isUuid(payload?.jobGuid) || !isUuid(payload?.bindingGuid))
      throw new UnrecoverableError('service_binding.operate needs jobGuid and bindingGuid');
    const binding = await this.repo.findBinding(payload.bindingGuid);
    const op = binding?.lastOperation;
    if (!binding || !op || (op.jobGuid && op.jobGuid !== payload.jobGuid)) {
      await this.jobs.complete(payload.jobGuid);
      return;
    }
    if (op.state !== 'initial' && op.state !== 'in progress') return;
    const instance = await this.repo.findByGuid(binding.serviceInstanceGuid);
    const found = instance ? await this.catalog.catalogOfPlanGuid(instance.servicePlanGuid) : null;
    if (!instance || !found) {
      await this.finish(
        binding,
        payload.jobGuid,
        'failed',
        'The service instance or its plan no longer exists.',
      );
      return;
    }
    if (op.state === 'initial') await this.send(binding, instance, found, payload);
    else await this.poll(binding, instance, found, payload);
  }

  private path(binding: ServiceCredentialBindingEntity): string {
    return `/v2/service_instances/${binding.serviceInstanceGuid}/service_bindings/${binding.guid}`;
  }

  private async send(
    binding: ServiceCredentialBindingEntity,
    instance: ServiceInstanceEntity,
    found: PlanInCatalog,
    payload: JobPayloads['service_binding.operate'],
  ): Promise<void> {
    const { plan, offering, broker } = found;
    const endpoint = this.endpoints.of(broker);
    const userGuid = await this.jobs.userOf(payload.jobGuid);
    if (binding.lastOperation.type === 'create') {
      const ctx = await this.contexts.forSpace(instance.spaceGuid, instance.name);
      const parameters = binding.pendingParametersSealed
        ? this.box.openJson<Record<string, unknown>>(binding.pendingParametersSealed)
        : undefined;
      const res = await this.osb.call(endpoint, {
        method: 'PUT',
        path: this.path(binding),
        query: { accepts_incomplete: 'true' },
        userGuid,
        body: {
          service_id: offering.catalogId,
          plan_id: plan.catalogId,
          ...(binding.appGuid ? { app_guid: binding.appGuid } : {}),
          bind_resource: binding.appGuid
            ? { app_guid: binding.appGuid, space_guid: instance.spaceGuid }
            : { credential_client_id: 'cf' },
          context: ctx.context,
          ...(parameters ? { parameters } : {}),
        },
      });
      const outcome = createOutcome(res, 'bind');
      await this.repo.updateBinding(binding.guid, { pendingParametersSealed: null });
      if (outcome.kind === 'done') {
        await this.storeCredentials(binding, outcome.body);
        await this.finish(binding, payload.jobGuid, 'succeeded', null);
      } else if (outcome.kind === 'async') {
        const now = new Date();
        await this.repo.updateBinding(binding.guid, {
          lastOperation: {
            state: 'in progress',
            brokerOperation: outcome.operation,
            startedAt: now,
            updatedAt: now,
          },
        });
        await this.jobs.startPolling(
          { name: 'service_binding.operate', payload },
          outcome.retryAfterSeconds,
        );
      } else {
        if (outcome.mitigate) await this.mitigate(binding, found);
        await this.finish(binding, payload.jobGuid, 'failed', outcome.description);
      }
      return;
    }
    const res = await this.osb.call(endpoint, {
      method: 'DELETE',
      path: this.path(binding),
      userGuid,
      query: {
        accepts_incomplete: 'true',
        service_id: offering.catalogId,
        plan_id: plan.catalogId,
      },
    });
    const outcome = deleteOutcome(res);
    if (outcome.kind === 'done') await this.removed(binding, payload.jobGuid);
    else if (outcome.kind === 'async') {
      const now = new Date();
      await this.repo.updateBinding(binding.guid, {
        lastOperation: {
          state: 'in progress',
          brokerOperation: outcome.operation,
          startedAt: now,
          updatedAt: now,
        },
      });
      await this.jobs.startPolling(
        { name: 'service_binding.operate', payload },
        outcome.retryAfterSeconds,
      );
    } else await this.finish(binding, payload.jobGuid, 'failed', outcome.description);
  }

  private async poll(
    binding: ServiceCredentialBindingEntity,
    instance: ServiceInstanceEntity,
    found: PlanInCatalog,
    payload: JobPayloads['service_binding.operate'],
  ): Promise<void> {
    const { plan, offering, broker } = found;
    const op = binding.lastOperation;
    const verb = op.type === 'delete' ? 'unbind' : 'bind';
    if (pollingExpired(op.startedAt, plan.maximumPollingDuration, this.config.osb.maxPollSeconds)) {
      if (op.type === 'create') await this.mitigate(binding, found);
      await this.finish(
        binding,
        payload.jobGuid,
        'failed',
        `Service broker failed to ${verb} within the required time.`,
      );
      return;
    }
    const endpoint = this.endpoints.of(broker);
    const res = await this.osb.call(endpoint, {
      method: 'GET',
      path: `${this.path(binding)}/last_operation`,
      query: {
        service_id: offering.catalogId,
        plan_id: plan.catalogId,
        operation: op.brokerOperation ?? undefined,
      },
    });
    const outcome = pollOutcome(res);
    switch (outcome.kind) {
      case 'succeeded':
        if (op.type === 'delete') {
          await this.removed(binding, payload.jobGuid);
          return;
        }
        {
          // An asynchronous bind's credentials are fetched once it has succeeded.
          const got = await this.osb.call(endpoint, { method: 'GET', path: this.path(binding) });
          if (got.kind !== 'answered' || got.status !== 200 || !isObject(got.body)) {
            await this.mitigate(binding, found);
            await this.finish(
              binding,
              payload.jobGuid,
              'failed',
              `The binding succeeded but its credentials could not be fetched: ${describeAnswer(got)}`,
            );
            return;
          }
          await this.storeCredentials(binding, got.body);
          await this.finish(binding, payload.jobGuid, 'succeeded', outcome.description);
        }
        return;
      case 'failed':
        await this.finish(
          binding,
          payload.jobGuid,
          'failed',
          outcome.description ?? `The service broker reported that the ${verb} failed.`,
        );
        return;
      case 'gone':
        if (op.type === 'delete') await this.removed(binding, payload.jobGuid);
        else
          await this.finish(
            binding,
            payload.jobGuid,
            'failed',
            'The service broker no longer knows this binding (410 Gone).',
          );
        return;
      case 'in progress':
        await this.repo.updateBinding(binding.guid, {
          lastOperation: { description: outcome.description, updatedAt: new Date() },
        });
        await this.jobs.pollAgain(
          { name: 'service_binding.operate', payload },
          outcome.retryAfterSeconds,
        );
        return;
      case 'retry':
        this.logger.warn(`polling binding ${binding.guid} of ${instance.guid}: ${outcome.reason}`);
        await this.jobs.pollAgain(
          { name: 'service_binding.operate', payload },
          outcome.retryAfterSeconds,
        );
        return;
    }
  }

  private async storeCredentials(
    binding: ServiceCredentialBindingEntity,
    body: Record<string, unknown>,
  ): Promise<void> {
    const credentials = isObject(body.credentials) ? body.credentials : {};
    await this.repo.updateBinding(binding.guid, {
      credentialsSealed: this.box.sealJson(credentials),
    });
  }

  private mitigate(binding: ServiceCredentialBindingEntity, found: PlanInCatalog): Promise<void> {
    return this.bus.enqueue(
      'service_binding.orphan_mitigate',
      {
        brokerGuid: found.broker.guid,
        instanceGuid: binding.serviceInstanceGuid,
        bindingGuid: binding.guid,
        serviceId: found.offering.catalogId,
        planId: found.plan.catalogId,
      },
      { key: binding.guid },
    );
  }

  private async finish(
    binding: ServiceCredentialBindingEntity,
    jobGuid: string,
    state: Extract<OperationState, 'succeeded' | 'failed'>,
    description: string | null,
  ): Promise<void> {
    const type = binding.lastOperation.type;
    await this.repo.updateBinding(binding.guid, {
      lastOperation: { state, description, updatedAt: new Date() },
    });
    if (state === 'succeeded') {
      await this.jobs.complete(jobGuid);
      return;
    }
    throw this.jobs.failure(type === 'delete' ? 'unbind' : 'bind', description);
  }

  private async removed(binding: ServiceCredentialBindingEntity, jobGuid: string): Promise<void> {
    await this.repo.deleteBinding(binding.guid);
    await this.jobs.complete(jobGuid);
  }
}
