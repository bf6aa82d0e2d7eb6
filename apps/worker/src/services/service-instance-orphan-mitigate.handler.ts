import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { JobPayloads } from '@wharf/contracts';
import { isUuid } from '@wharf/platform/db';
import { JobHandler, JobProcessor } from '@wharf/platform/queue';
import { BrokerOperations } from '@wharf/services';

@Injectable()
@JobHandler('service_instance.orphan_mitigate')
export class ServiceInstanceOrphanMitigateHandler implements JobProcessor<'service_instance.orphan_mitigate'> {
  constructor(private readonly operations: BrokerOperations) {}

  async handle(payload: JobPayloads['service_instance.orphan_mitigate']): Promise<void> {
    if (!isUuid(payload?.brokerGuid) || !isUuid(payload?.instanceGuid))
      throw new UnrecoverableError(
        'service_instance.orphan_mitigate needs brokerGuid and instanceGuid',
      );
    await this.operations.mitigateInstanceOrphan(payload);
  }
}
