import { Injectable, Logger } from '@nestjs/common';
import { JobBus } from '@wharf/platform/queue';
import { SecretBox } from '@wharf/platform/secrets';
import type { BrokerOperationAdapter, Located, Sending } from './broker-operation.machine';
import type { OperateJob } from './broker-operation.support';
import type { LastOperationColumns } from './last-operation.columns';
import { BrokerEndpoint, OsbClient } from './osb/osb-client';
import { CreateOutcome, describeAnswer } from './osb/osb-outcome';
import { PlanInCatalog, ServiceCatalogQueryService } from './service-catalog-query.service';
import { ServiceCredentialBindingEntity } from './service-credential-binding.entity';
import { ServiceInstanceEntity } from './service-instance.entity';
import { ServiceInstanceRepository } from './service-instance.repository';

type BindingJob = Extract<OperateJob, { name: 'service_binding.operate' }>;

/** A binding goes to the broker of its instance's plan, in the instance's space. */
interface AtInstance extends Located {
  readonly instance: ServiceInstanceEntity;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * An app binding's or a service key's bind and unbind, as the broker-operation machine carries
 * them: the binding's last_operation, and the credentials the broker returns, sealed. A bind whose
 * outcome is unknown (timeout, 5xx, garbage) or whose polling runs out of time is orphan-mitigated.
 */
@Injectable()
export class ServiceBindingOperationAdapter implements BrokerOperationAdapter<
  BindingJob,
  ServiceCredentialBindingEntity,
  AtInstance
> {
  readonly logger = new Logger('ServiceBindingOperate');
  readonly verbs = { create: 'bind', update: 'bind', delete: 'unbind' } as const;
  readonly mitigatesExpiredCreate = true;
  readonly goneDescription = 'The service broker no longer knows this binding (410 Gone).';

  constructor(
    private readonly repo: ServiceInstanceRepository,
    private readonly catalog: ServiceCatalogQueryService,
    private readonly osb: OsbClient,
    private readonly box: SecretBox,
    private readonly bus: JobBus,
  ) {}

  load(payload: BindingJob['payload']): Promise<ServiceCredentialBindingEntity | null> {
    return this.repo.findBinding(payload.bindingGuid);
  }

  async locate(binding: ServiceCredentialBindingEntity): Promise<AtInstance | string> {
    const instance = await this.repo.findByGuid(binding.serviceInstanceGuid);
    const found = instance ? await this.catalog.catalogOfPlanGuid(instance.servicePlanGuid) : null;
    if (!instance || !found) return 'The service instance or its plan no longer exists.';
    return { found, instance, spaceGuid: instance.spaceGuid, instanceName: instance.name };
  }

  path(binding: ServiceCredentialBindingEntity): string {
    return `/v2/service_instances/${binding.serviceInstanceGuid}/service_bindings/${binding.guid}`;
  }

  /** Bindings have no update: the body is a bind's, for an app or for a key. */
  body(
    binding: ServiceCredentialBindingEntity,
    { found, instance }: AtInstance,
    _type: 'create' | 'update',
    { context: ctx, parameters }: Sending,
  ): Record<string, unknown> {
    return {
      service_id: found.offering.catalogId,
      plan_id: found.plan.catalogId,
      ...(binding.appGuid ? { app_guid: binding.appGuid } : {}),
      bind_resource: binding.appGuid
        ? { app_guid: binding.appGuid, space_guid: instance.spaceGuid }
        : { credential_client_id: 'cf' },
      context: ctx.context,
      ...(parameters ? { parameters } : {}),
    };
  }

  describe(binding: ServiceCredentialBindingEntity, { instance }: AtInstance): string {
    return `binding ${binding.guid} of ${instance.guid}`;
  }

  record(binding: ServiceCredentialBindingEntity, lastOperation: Partial<LastOperationColumns>) {
    return this.repo.updateBinding(binding.guid, { lastOperation });
  }

  remove(binding: ServiceCredentialBindingEntity): Promise<void> {
    return this.repo.deleteBinding(binding.guid);
  }

  /** A bind's parameters are not kept once sent; a synchronous bind's credentials are. */
  async answered(
    binding: ServiceCredentialBindingEntity,
    _at: AtInstance,
    outcome: CreateOutcome,
  ): Promise<void> {
    if (binding.lastOperation.type === 'delete') return;
    await this.repo.updateBinding(binding.guid, { pendingParametersSealed: null });
    if (outcome.kind === 'done') await this.storeCredentials(binding, outcome.body);
  }

  /** An asynchronous bind's credentials are fetched once it has succeeded. */
  async succeeded(
    binding: ServiceCredentialBindingEntity,
    _at: AtInstance,
    endpoint: BrokerEndpoint,
  ): Promise<string | null> {
    const got = await this.osb.call(endpoint, { method: 'GET', path: this.path(binding) });
    if (got.kind !== 'answered' || got.status !== 200 || !isObject(got.body))
      return `The binding succeeded but its credentials could not be fetched: ${describeAnswer(got)}`;
    await this.storeCredentials(binding, got.body);
    return null;
  }

  /** Also the unbind of a deleted app's managed bindings. */
  mitigate(binding: ServiceCredentialBindingEntity, found: PlanInCatalog): Promise<void> {
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

  private async storeCredentials(
    binding: ServiceCredentialBindingEntity,
    body: Record<string, unknown>,
  ): Promise<void> {
    const credentials = isObject(body.credentials) ? body.credentials : {};
    await this.repo.updateBinding(binding.guid, {
      credentialsSealed: this.box.sealJson(credentials),
    });
  }
}
