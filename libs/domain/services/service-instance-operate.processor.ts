import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { JobPayloads } from '@wharf/contracts';
import { isUuid } from '@wharf/platform/db';
import { JobHandler, JobProcessor } from '@wharf/platform/queue';
import { BrokerOperationMachine } from './broker-operation.machine';
import { ServiceInstanceOperationAdapter } from './service-instance-operation.adapter';

/** Carries a managed instance's last operation to its broker and follows it to the end. */
@Injectable()
@JobHandler('service_instance.operate')
export class ServiceInstanceOperateProcessor implements JobProcessor<'service_instance.operate'> {
  constructor(
    private readonly machine: BrokerOperationMachine,
    private readonly instances: ServiceInstanceOperationAdapter,
  ) {}

  async handle(payload: JobPayloads['service_instance.operate']): Promise<void> {
    if (!isUuid(payload?.jobGuid) || !isUuid(payload?.instanceGuid))
      throw new UnrecoverableError('service_instance.operate needs jobGuid and instanceGuid');
    await this.machine.run(this.instances, { name: 'service_instance.operate', payload });
  }
}
