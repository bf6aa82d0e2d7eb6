import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { JobPayloads } from '@wharf/contracts';
import { isUuid } from '@wharf/platform/db';
import { JobHandler, JobProcessor } from '@wharf/platform/queue';
import { ServiceBrokerDeletion } from '@wharf/services';

@Injectable()
@JobHandler('service_broker.delete')
export class ServiceBrokerDeleteHandler implements JobProcessor<'service_broker.delete'> {
  constructor(private readonly deletion: ServiceBrokerDeletion) {}

  async handle(payload: JobPayloads['service_broker.delete']): Promise<void> {
    if (!isUuid(payload?.jobGuid) || !isUuid(payload?.brokerGuid))
      throw new UnrecoverableError('service_broker.delete needs jobGuid and brokerGuid');
    await this.deletion.run({ jobGuid: payload.jobGuid, brokerGuid: payload.brokerGuid });
  }
}
