import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { JobPayloads } from '@wharf/contracts';
import { isUuid } from '@wharf/platform/db';
import { JobHandler, JobProcessor } from '@wharf/platform/queue';
import { BrokerOperations } from '@wharf/services';

@Injectable()
@JobHandler('service_binding.operate')
export class ServiceBindingOperateHandler implements JobProcessor<'service_binding.operate'> {
  constructor(private readonly operations: BrokerOperations) {}

  async handle(payload: JobPayloads['service_binding.operate']): Promise<void> {
    if (!isUuid(payload?.jobGuid) || !isUuid(payload?.bindingGuid))
      throw new UnrecoverableError('service_binding.operate needs jobGuid and bindingGuid');
    await this.operations.operateBinding(payload);
  }
}
