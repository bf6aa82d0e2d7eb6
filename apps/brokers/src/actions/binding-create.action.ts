import { Injectable } from '@nestjs/common';
import { findService, requireNoParameters, requireServicePlan } from '../catalog/broker-catalog';
import { ServiceDrivers } from '../drivers/service-drivers';
import { BrokerError, BrokerErrorCode } from '../osb/broker.errors';
import type { BindBody } from '../osb/osb-requests';
import { BrokerDatabase } from '../store/broker-database';
import type { BindingRecord } from '../store/broker-records';
import { ServiceBindingRepository } from '../store/service-binding.repository';
import { ServiceInstanceRepository } from '../store/service-instance.repository';
import { sameJson } from './same-json';

export interface BindOutcome {
  status: 200 | 201;
  binding: BindingRecord;
  endpoints: { host: string; ports: string[] }[];
}

/**
 * OSB bind, synchronous: 201 with credentials; the same binding id again with identical
 * attributes is 200 with the same credentials, with others 409.
 */
@Injectable()
export class BindingCreateAction {
  constructor(
    private readonly db: BrokerDatabase,
    private readonly instances: ServiceInstanceRepository,
    private readonly bindings: ServiceBindingRepository,
    private readonly drivers: ServiceDrivers,
  ) {}

  async execute(input: {
    instanceId: string;
    bindingId: string;
    body: BindBody;
  }): Promise<BindOutcome> {
    const { instanceId, bindingId, body } = input;
    const { service } = requireServicePlan(body.service_id, body.plan_id);
    requireNoParameters(service, body.parameters);
    if (body.predecessor_binding_id)
      throw new BrokerError(BrokerErrorCode.BadRequest, 'The plans do not rotate bindings.');
    const appGuid = body.bind_resource?.app_guid ?? body.app_guid ?? null;

    return this.db.withLock(instanceId, async () => {
      const instance = await this.instances.find(instanceId);
      if (!instance)
        throw new BrokerError(
          BrokerErrorCode.NotFound,
          `Service instance ${instanceId} does not exist.`,
        );
      if (instance.state !== 'succeeded')
        throw new BrokerError(
          BrokerErrorCode.ConcurrencyError,
          `Service instance ${instanceId} is not ready (its provisioning ${instance.state === 'failed' ? 'failed' : 'is in progress'}).`,
        );
      if (instance.serviceId !== body.service_id || instance.planId !== body.plan_id)
        throw new BrokerError(
          BrokerErrorCode.BadRequest,
          `Service instance ${instanceId} is not of service_id ${body.service_id} and plan_id ${body.plan_id}.`,
        );
      const driver = this.drivers.for(findService(instance.serviceId) ?? service);
      const existing = await this.bindings.find(bindingId);
      if (existing) {
        const identical =
          existing.instanceId === instanceId &&
          existing.appGuid === appGuid &&
          sameJson(existing.parameters, body.parameters ?? {});
        if (!identical)
          throw new BrokerError(
            BrokerErrorCode.Conflict,
            `Service binding ${bindingId} already exists with other attributes.`,
          );
        return { status: 200, binding: existing, endpoints: endpointsOf(existing) };
      }
      const made = await driver.bind(instance, bindingId);
      const binding: BindingRecord = {
        id: bindingId,
        instanceId,
        serviceId: instance.serviceId,
        planId: instance.planId,
        parameters: body.parameters ?? {},
        appGuid,
        resource: { ...made.resource, endpoints: JSON.stringify(made.endpoints) },
        credentials: made.credentials,
      };
      try {
        await this.bindings.insert(binding);
      } catch (err) {
        await driver.unbind(instance, binding).catch(() => undefined);
        throw err;
      }
      return { status: 201, binding, endpoints: made.endpoints };
    });
  }
}

/** The endpoints a binding was created with, kept beside its driver resource. */
export function endpointsOf(binding: BindingRecord): { host: string; ports: string[] }[] {
  const raw = binding.resource.endpoints;
  return raw ? (JSON.parse(raw) as { host: string; ports: string[] }[]) : [];
}
