import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { JobPayloads } from '@wharf/contracts';
import { isUuid } from '@wharf/platform/db';
import { JobHandler, JobProcessor } from '@wharf/platform/queue';
import { BrokerOperationMachine } from './broker-operation.machine';

/** Orphan mitigation for a provision whose outcome is unknown: the instance is deleted at the broker. */
@Injectable()
@JobHandler('service_instance.orphan_mitigate')
export class ServiceInstanceOrphanMitigateProcessor implements JobProcessor<'service_instance.orphan_mitigate'> {
  constructor(private readonly machine: BrokerOperationMachine) {}

  async handle(payload: JobPayloads['service_instance.orphan_mitigate']): Promise<void> {
    if (!isUuid(payload?.brokerGuid) || !isUuid(payload?.instanceGuid))
      throw new UnrecoverableError(
        'service_instance.orphan_mitigate needs brokerGuid and instanceGuid',
      );
    const instance = payload.instanceGuid;
    await this.machine.deleteOrphan({
      ...payload,
      path: `/v2/service_instances/${instance}`,
      deleted: (broker) => `orphan mitigation: instance ${instance} deleted at ${broker}`,
      notDeleted: (_broker, why) => `orphan mitigation of instance ${instance}: ${why}`,
    });
  }
}
