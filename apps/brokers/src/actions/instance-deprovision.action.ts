import { Injectable } from '@nestjs/common';
import { findService } from '../catalog/broker-catalog';
import { ServiceDrivers } from '../drivers/service-drivers';
import { BrokerError, BrokerErrorCode } from '../osb/broker.errors';
import type { DeleteQuery } from '../osb/osb-requests';
import { BrokerDatabase } from '../store/broker-database';
import { ServiceBindingRepository } from '../store/service-binding.repository';
import { ServiceInstanceRepository } from '../store/service-instance.repository';

/**
 * OSB deprovision, synchronous for every built-in service (removing a database or a container is
 * quick): 200 when removed, 410 when there is no such instance, 422 ConcurrencyError while a
 * provision still runs. Bindings the platform did not delete first are removed too.
 */
@Injectable()
export class InstanceDeprovisionAction {
  constructor(
    private readonly db: BrokerDatabase,
    private readonly instances: ServiceInstanceRepository,
    private readonly bindings: ServiceBindingRepository,
    private readonly drivers: ServiceDrivers,
  ) {}

  async execute(input: { instanceId: string; query: DeleteQuery }): Promise<void> {
    const { instanceId, query } = input;
    const found = await this.instances.find(instanceId);
    if (!found) throw gone(instanceId);
    if (found.state === 'in progress') throw busy();
    await this.db.withLock(instanceId, async () => {
      const instance = await this.instances.find(instanceId);
      if (!instance) throw gone(instanceId);
      if (instance.state === 'in progress') throw busy();
      if (instance.serviceId !== query.service_id || instance.planId !== query.plan_id)
        throw new BrokerError(
          BrokerErrorCode.BadRequest,
          `Service instance ${instanceId} is not of service_id ${query.service_id} and plan_id ${query.plan_id}.`,
        );
      const service = findService(instance.serviceId);
      if (!service) throw new Error(`instance ${instanceId} names an unknown service`);
      const driver = this.drivers.for(service);
      for (const binding of await this.bindings.findByInstance(instanceId)) {
        await driver.unbind(instance, binding);
        await this.bindings.delete(binding.id);
      }
      await driver.deprovision(instance);
      await this.instances.delete(instanceId);
    });
  }
}

function gone(instanceId: string): BrokerError {
  return new BrokerError(BrokerErrorCode.Gone, `Service instance ${instanceId} does not exist.`);
}

function busy(): BrokerError {
  return new BrokerError(
    BrokerErrorCode.ConcurrencyError,
    'Another operation for this service instance is in progress.',
  );
}
