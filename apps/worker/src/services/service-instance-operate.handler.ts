import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { JobPayloads } from '@wharf/contracts';
import { isUuid } from '@wharf/platform/db';
import { JobHandler, JobProcessor } from '@wharf/platform/queue';
import { BrokerOperations } from '@wharf/services';

@Injectable()
@JobHandler('service_instance.operate')
export class ServiceInstanceOperateHandler implements JobProcessor<'service_instance.operate'> {
  constructor(private readonly operations: BrokerOperations) {}

  async handle(payload: JobPayloads['service_instance.operate']): Promise<void> {
    if (!isUuid(payload?.jobGuid) || !isUuid(payload?.instanceGuid))
      throw new UnrecoverableError('service_instance.operate needs jobGuid and instanceGuid');
    await this.operations.operateInstance(payload);
  }
}
