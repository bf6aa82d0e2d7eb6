import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { JobPayloads } from '@wharf/contracts';
import { isUuid } from '@wharf/platform/db';
import { JobHandler, JobProcessor } from '@wharf/platform/queue';
import { BrokerOperations } from '@wharf/services';

@Injectable()
@JobHandler('service_binding.orphan_mitigate')
export class ServiceBindingOrphanMitigateHandler implements JobProcessor<'service_binding.orphan_mitigate'> {
  constructor(private readonly operations: BrokerOperations) {}

  async handle(payload: JobPayloads['service_binding.orphan_mitigate']): Promise<void> {
    if (
      !isUuid(payload?.brokerGuid) ||
      !isUuid(payload?.bindingGuid) ||
      !isUuid(payload?.instanceGuid)
    )
      throw new UnrecoverableError(
        'service_binding.orphan_mitigate needs brokerGuid, instanceGuid and bindingGuid',
      );
    await this.operations.mitigateBindingOrphan(payload);
  }
}
