import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { JobPayloads } from '@wharf/contracts';
import { isUuid } from '@wharf/platform/db';
import { JobHandler, JobProcessor } from '@wharf/platform/queue';
import { ServiceBrokerSync } from '@wharf/services';

@Injectable()
@JobHandler('service_broker.sync')
export class ServiceBrokerSyncHandler implements JobProcessor<'service_broker.sync'> {
  constructor(private readonly sync: ServiceBrokerSync) {}

  async handle(payload: JobPayloads['service_broker.sync']): Promise<void> {
    if (!isUuid(payload?.jobGuid) || !isUuid(payload?.brokerGuid))
      throw new UnrecoverableError('service_broker.sync needs jobGuid and brokerGuid');
    await this.sync.run({ jobGuid: payload.jobGuid, brokerGuid: payload.brokerGuid });
  }
}
