import { Injectable } from '@nestjs/common';
import { requireNoParameters, requireServicePlan } from '../catalog/broker-catalog';
import { BrokerError, BrokerErrorCode } from '../osb/broker.errors';
import type { UpdateBody } from '../osb/osb-requests';
import { ServiceInstanceRepository } from '../store/service-instance.repository';

/**
 * OSB update. The built-in plans are not updateable (`plan_updateable: false`) and take no
 * parameters, so the only update there is to accept is one that changes nothing (200 `{}`): a
 * context update, or a re-sent PATCH.
 */
@Injectable()
export class InstanceUpdateAction {
  constructor(private readonly instances: ServiceInstanceRepository) {}

  async execute(input: { instanceId: string; body: UpdateBody }): Promise<void> {
    const { instanceId, body } = input;
    const instance = await this.instances.find(instanceId);
    if (!instance)
      throw new BrokerError(
        BrokerErrorCode.NotFound,
        `Service instance ${instanceId} does not exist.`,
      );
    if (instance.state === 'in progress')
      throw new BrokerError(
        BrokerErrorCode.ConcurrencyError,
        'Another operation for this service instance is in progress.',
      );
    const { service } = requireServicePlan(body.service_id, body.plan_id ?? instance.planId);
    if (service.id !== instance.serviceId)
      throw new BrokerError(
        BrokerErrorCode.BadRequest,
        `Service instance ${instanceId} is not of service_id ${body.service_id}.`,
      );
    requireNoParameters(service, body.parameters);
    if (body.maintenance_info)
      throw new BrokerError(BrokerErrorCode.BadRequest, 'The plans have no maintenance_info.');
    if (body.plan_id && body.plan_id !== instance.planId)
      throw new BrokerError(
        BrokerErrorCode.PlanChangeNotSupported,
        `The plans of ${service.name} cannot be changed; create a new instance instead.`,
      );
  }
}
