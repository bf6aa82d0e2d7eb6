import { Injectable } from '@nestjs/common';
import { BrokerError, BrokerErrorCode } from '../osb/broker.errors';
import type { BindingRecord, InstanceRecord } from '../store/broker-records';
import { ServiceBindingRepository } from '../store/service-binding.repository';
import { ServiceInstanceRepository } from '../store/service-instance.repository';

/** The reads of the OSB API: last_operation and the fetch endpoints. */
@Injectable()
export class BrokerQueryService {
  constructor(
    private readonly instances: ServiceInstanceRepository,
    private readonly bindings: ServiceBindingRepository,
  ) {}

  /**
   * The instance's last operation. OSB: 404 for an instance that does not exist (410 is only for
   * asynchronous deletes, and the built-in brokers delete synchronously).
   */
  async lastOperation(instanceId: string): Promise<InstanceRecord> {
    const instance = await this.instances.find(instanceId);
    if (!instance)
      throw new BrokerError(
        BrokerErrorCode.NotFound,
        `Service instance ${instanceId} does not exist.`,
      );
    return instance;
  }

  /** A provisioned instance; one still being provisioned is not there yet (404). */
  async instance(instanceId: string): Promise<InstanceRecord> {
    const instance = await this.instances.find(instanceId);
    if (!instance || instance.state === 'in progress')
      throw new BrokerError(
        BrokerErrorCode.NotFound,
        `Service instance ${instanceId} does not exist.`,
      );
    return instance;
  }

  async binding(instanceId: string, bindingId: string): Promise<BindingRecord> {
    const binding = await this.bindings.find(bindingId);
    if (!binding || binding.instanceId !== instanceId)
      throw new BrokerError(
        BrokerErrorCode.NotFound,
        `Service binding ${bindingId} of instance ${instanceId} does not exist.`,
      );
    return binding;
  }
}
