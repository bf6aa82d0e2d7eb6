import { Injectable, Logger } from '@nestjs/common';
import { JobBus } from '@wharf/platform/queue';
import type { BrokerOperationAdapter, Located, Sending } from './broker-operation.machine';
import type { OperateJob } from './broker-operation.support';
import type { LastOperationColumns } from './last-operation.columns';
import type { CreateOutcome } from './osb/osb-outcome';
import { PlanInCatalog, ServiceCatalogQueryService } from './service-catalog-query.service';
import { ServiceInstanceEntity } from './service-instance.entity';
import { ServiceInstanceRepository } from './service-instance.repository';

type InstanceJob = Extract<OperateJob, { name: 'service_instance.operate' }>;

/**
 * A managed instance's provision, update and deprovision, as the broker-operation machine carries
 * them: the instance's last_operation, its sealed parameters and pending plan until the broker has
 * them, and its dashboard URL once it answers.
 */
@Injectable()
export class ServiceInstanceOperationAdapter implements BrokerOperationAdapter<
  InstanceJob,
  ServiceInstanceEntity,
  Located
> {
  readonly logger = new Logger('ServiceInstanceOperate');
  readonly verbs = { create: 'provision', update: 'update', delete: 'deprovision' } as const;
  readonly mitigatesExpiredCreate = false;
  readonly goneDescription = 'The service broker no longer knows this service instance (410 Gone).';

  constructor(
    private readonly repo: ServiceInstanceRepository,
    private readonly catalog: ServiceCatalogQueryService,
    private readonly bus: JobBus,
  ) {}

  load(payload: InstanceJob['payload']): Promise<ServiceInstanceEntity | null> {
    return this.repo.findByGuid(payload.instanceGuid);
  }

  async locate(instance: ServiceInstanceEntity): Promise<Located | string> {
    const found = await this.catalog.catalogOfPlanGuid(instance.servicePlanGuid);
    if (!found) return 'The service plan no longer exists.';
    return { found, spaceGuid: instance.spaceGuid, instanceName: instance.name };
  }

  path(instance: ServiceInstanceEntity): string {
    return `/v2/service_instances/${instance.guid}`;
  }

  async body(
    instance: ServiceInstanceEntity,
    { found }: Located,
    type: 'create' | 'update',
    { context: ctx, parameters }: Sending,
  ): Promise<Record<string, unknown>> {
    const { plan, offering } = found;
    if (type === 'create')
      return {
        service_id: offering.catalogId,
        plan_id: plan.catalogId,
        organization_guid: ctx.organizationGuid,
        space_guid: ctx.spaceGuid,
        context: ctx.context,
        ...(parameters ? { parameters } : {}),
        ...(plan.maintenanceInfo ? { maintenance_info: plan.maintenanceInfo } : {}),
      };
    const target = instance.pendingPlanGuid
      ? await this.catalog.catalogOfPlanGuid(instance.pendingPlanGuid)
      : found;
    return {
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
    };
  }

  describe(instance: ServiceInstanceEntity): string {
    return instance.guid;
  }

  record(instance: ServiceInstanceEntity, lastOperation: Partial<LastOperationColumns>) {
    return this.repo.updateInstance(instance.guid, { lastOperation });
  }

  remove(instance: ServiceInstanceEntity): Promise<void> {
    return this.repo.delete(instance.guid);
  }

  /** Once the broker has answered, the sealed parameters are not kept (nor, on failure, the plan). */
  async answered(
    instance: ServiceInstanceEntity,
    _at: Located,
    outcome: CreateOutcome,
  ): Promise<void> {
    const type = instance.lastOperation.type;
    if (type === 'delete') return;
    if (outcome.kind === 'done' && type === 'update')
      await this.applyUpdate(instance, outcome.body);
    else if (outcome.kind === 'done')
      await this.repo.updateInstance(instance.guid, {
        dashboardUrl:
          typeof outcome.body.dashboard_url === 'string' ? outcome.body.dashboard_url : null,
        pendingParametersSealed: null,
      });
    else
      await this.repo.updateInstance(instance.guid, {
        pendingParametersSealed: null,
        ...(outcome.kind === 'failed' && type === 'update' ? { pendingPlanGuid: null } : {}),
      });
  }

  async succeeded(instance: ServiceInstanceEntity): Promise<null> {
    if (instance.lastOperation.type === 'update') await this.applyUpdate(instance, {});
    return null;
  }

  async failed(instance: ServiceInstanceEntity): Promise<void> {
    if (instance.lastOperation.type === 'update')
      await this.repo.updateInstance(instance.guid, { pendingPlanGuid: null });
  }

  mitigate(instance: ServiceInstanceEntity, found: PlanInCatalog): Promise<void> {
    return this.bus.enqueue(
      'service_instance.orphan_mitigate',
      {
        brokerGuid: found.broker.guid,
        instanceGuid: instance.guid,
        serviceId: found.offering.catalogId,
        planId: found.plan.catalogId,
      },
      { key: instance.guid },
    );
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
}
