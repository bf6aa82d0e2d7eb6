import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { JobPayloads } from '@wharf/contracts';
import { isUuid } from '@wharf/platform/db';
import { JobHandler, JobProcessor } from '@wharf/platform/queue';
import { BrokerOperationMachine } from './broker-operation.machine';

/**
 * Deletes a binding at the broker: orphan mitigation after a bind whose outcome is unknown, and
 * the unbind of a deleted app's managed bindings.
 */
@Injectable()
@JobHandler('service_binding.orphan_mitigate')
export class ServiceBindingOrphanMitigateProcessor implements JobProcessor<'service_binding.orphan_mitigate'> {
  constructor(private readonly machine: BrokerOperationMachine) {}

  async handle(payload: JobPayloads['service_binding.orphan_mitigate']): Promise<void> {
    if (
      !isUuid(payload?.brokerGuid) ||
      !isUuid(payload?.bindingGuid) ||
      !isUuid(payload?.instanceGuid)
    )
      throw new UnrecoverableError(
        'service_binding.orphan_mitigate needs brokerGuid, instanceGuid and bindingGuid',
      );
    const binding = payload.bindingGuid;
    await this.machine.deleteOrphan({
      ...payload,
      path: `/v2/service_instances/${payload.instanceGuid}/service_bindings/${binding}`,
      deleted: (broker) => `binding ${binding} deleted at ${broker}`,
      notDeleted: (broker, why) => `deleting binding ${binding} at ${broker}: ${why}`,
    });
  }
}
