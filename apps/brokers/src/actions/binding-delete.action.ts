import { Injectable } from '@nestjs/common';
import { findService } from '../catalog/broker-catalog';
import { ServiceDrivers } from '../drivers/service-drivers';
import { BrokerError, BrokerErrorCode } from '../osb/broker.errors';
import type { DeleteQuery } from '../osb/osb-requests';
import { BrokerDatabase } from '../store/broker-database';
import { ServiceBindingRepository } from '../store/service-binding.repository';
import { ServiceInstanceRepository } from '../store/service-instance.repository';

/** OSB unbind, synchronous: 200 when its access is gone, 410 when there is no such binding. */
@Injectable()
export class BindingDeleteAction {
  constructor(
    private readonly db: BrokerDatabase,
    private readonly instances: ServiceInstanceRepository,
    private readonly bindings: ServiceBindingRepository,
    private readonly drivers: ServiceDrivers,
  ) {}

  async execute(input: {
    instanceId: string;
    bindingId: string;
    query: DeleteQuery;
  }): Promise<void> {
    const { instanceId, bindingId, query } = input;
    await this.db.withLock(instanceId, async () => {
      const binding = await this.bindings.find(bindingId);
      const instance = await this.instances.find(instanceId);
      if (!binding || !instance || binding.instanceId !== instanceId)
        throw new BrokerError(
          BrokerErrorCode.Gone,
          `Service binding ${bindingId} of instance ${instanceId} does not exist.`,
        );
      if (binding.serviceId !== query.service_id || binding.planId !== query.plan_id)
        throw new BrokerError(
          BrokerErrorCode.BadRequest,
          `Service binding ${bindingId} is not of service_id ${query.service_id} and plan_id ${query.plan_id}.`,
        );
      const service = findService(instance.serviceId);
      if (!service) throw new Error(`instance ${instanceId} names an unknown service`);
      await this.drivers.for(service).unbind(instance, binding);
      await this.bindings.delete(bindingId);
    });
  }
}
