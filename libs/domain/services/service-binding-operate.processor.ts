import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { JobPayloads } from '@wharf/contracts';
import { isUuid } from '@wharf/platform/db';
import { JobHandler, JobProcessor } from '@wharf/platform/queue';
import { BrokerOperationMachine } from './broker-operation.machine';
import { ServiceBindingOperationAdapter } from './service-binding-operation.adapter';

/** Carries a binding's (or service key's) last operation to the broker and follows it. */
@Injectable()
@JobHandler('service_binding.operate')
export class ServiceBindingOperateProcessor implements JobProcessor<'service_binding.operate'> {
  constructor(
    private readonly machine: BrokerOperationMachine,
    private readonly bindings: ServiceBindingOperationAdapter,
  ) {}

  async handle(payload: JobPayloads['service_binding.operate']): Promise<void> {
    if (!isUuid(payload?.jobGuid) || !isUuid(payload?.bindingGuid))
      throw new UnrecoverableError('service_binding.operate needs jobGuid and bindingGuid');
    await this.machine.run(this.bindings, { name: 'service_binding.operate', payload });
  }
}
