import { Injectable } from '@nestjs/common';
import type { JobPayloads } from '@wharf/contracts';
import { BrokerOperationMachine } from './broker-operation.machine';
import { ServiceBindingOperationAdapter } from './service-binding-operation.adapter';
import { ServiceInstanceOperationAdapter } from './service-instance-operation.adapter';

/**
 * The work of the jobs that call brokers about instances and bindings: carrying a last operation to
 * the broker and following it, and deleting at the broker what may have been left there.
 */
@Injectable()
export class BrokerOperations {
  constructor(
    private readonly machine: BrokerOperationMachine,
    private readonly instances: ServiceInstanceOperationAdapter,
    private readonly bindings: ServiceBindingOperationAdapter,
  ) {}

  /** `service_instance.operate`: a managed instance's last operation, to the end. */
  async operateInstance(payload: JobPayloads['service_instance.operate']): Promise<void> {
    await this.machine.run(this.instances, { name: 'service_instance.operate', payload });
  }

  /** `service_binding.operate`: a binding's (or service key's) last operation, to the end. */
  async operateBinding(payload: JobPayloads['service_binding.operate']): Promise<void> {
    await this.machine.run(this.bindings, { name: 'service_binding.operate', payload });
  }

  /**
   * `service_instance.orphan_mitigate`: after a provision whose outcome is unknown, the instance is
   * deleted at the broker.
   */
  async mitigateInstanceOrphan(
    payload: JobPayloads['service_instance.orphan_mitigate'],
  ): Promise<void> {
    const instance = payload.instanceGuid;
    await this.machine.deleteOrphan({
      ...payload,
      path: `/v2/service_instances/${instance}`,
      deleted: (broker) => `orphan mitigation: instance ${instance} deleted at ${broker}`,
      notDeleted: (_broker, why) => `orphan mitigation of instance ${instance}: ${why}`,
    });
  }

  /**
   * `service_binding.orphan_mitigate`: deletes a binding at the broker: orphan mitigation after a
   * bind whose outcome is unknown, and the unbind of a deleted app's managed bindings.
   */
  async mitigateBindingOrphan(
    payload: JobPayloads['service_binding.orphan_mitigate'],
  ): Promise<void> {
    const binding = payload.bindingGuid;
    await this.machine.deleteOrphan({
      ...payload,
      path: `/v2/service_instances/${payload.instanceGuid}/service_bindings/${binding}`,
      deleted: (broker) => `binding ${binding} deleted at ${broker}`,
      notDeleted: (broker, why) => `deleting binding ${binding} at ${broker}: ${why}`,
    });
  }
}
