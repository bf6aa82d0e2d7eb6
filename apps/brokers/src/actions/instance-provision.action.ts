import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { requireNoParameters, requireServicePlan } from '../catalog/broker-catalog';
import { ServiceDrivers } from '../drivers/service-drivers';
import { BrokerError, BrokerErrorCode } from '../osb/broker.errors';
import type { ProvisionBody } from '../osb/osb-requests';
import { BrokerDatabase } from '../store/broker-database';
import type { InstanceRecord } from '../store/broker-records';
import { ServiceInstanceRepository } from '../store/service-instance.repository';
import { InstanceProvisionRunner } from './instance-provision.runner';
import { sameJson } from './same-json';

export type ProvisionOutcome = { status: 200 | 201 } | { status: 202; operation: string | null };

/**
 * OSB provision. A service that provisions synchronously answers 201 when done; one that needs
 * time answers 202 and works in the background (422 AsyncRequired when the caller cannot poll).
 * The same id again: identical attributes are 200 (or 202 while it runs), others 409.
 */
@Injectable()
export class InstanceProvisionAction {
  constructor(
    private readonly db: BrokerDatabase,
    private readonly instances: ServiceInstanceRepository,
    private readonly drivers: ServiceDrivers,
    private readonly runner: InstanceProvisionRunner,
  ) {}

  async execute(input: {
    instanceId: string;
    body: ProvisionBody;
    acceptsIncomplete: boolean;
  }): Promise<ProvisionOutcome> {
    const { instanceId, body } = input;
    const { service, plan } = requireServicePlan(body.service_id, body.plan_id);
    requireNoParameters(service, body.parameters);
    if (body.maintenance_info)
      throw new BrokerError(
        BrokerErrorCode.BadRequest,
        `The plan ${plan.name} has no maintenance_info to match.`,
      );
    if (service.provisionsAsync && !input.acceptsIncomplete)
      throw new BrokerError(
        BrokerErrorCode.AsyncRequired,
        `The service ${service.name} is provisioned asynchronously: send accepts_incomplete=true.`,
      );
    const driver = this.drivers.for(service);
    // A re-sent PUT is answered from the record, without waiting for the lock that a running
    // asynchronous provision of the same instance holds.
    const known = await this.instances.find(instanceId);
    if (known) return this.again(known, body);

    const outcome = await this.db.withLock(instanceId, async (): Promise<ProvisionOutcome> => {
      const existing = await this.instances.find(instanceId);
      if (existing) return this.again(existing, body);
      const record: InstanceRecord = {
        id: instanceId,
        serviceId: service.id,
        planId: plan.id,
        parameters: body.parameters ?? {},
        organizationGuid: body.organization_guid,
        spaceGuid: body.space_guid,
        context: body.context ?? {},
        state: 'in progress',
        operation: service.provisionsAsync ? `provision-${randomUUID()}` : null,
        description: `Creating the ${service.name} instance.`,
        resource: {},
        secrets: driver.newSecrets(),
      };
      await this.instances.insert(record);
      if (service.provisionsAsync) return { status: 202, operation: record.operation };
      try {
        const resource = await driver.provision(record, plan);
        await this.instances.recordOutcome(instanceId, {
          state: 'succeeded',
          description: `The ${service.name} instance is ready.`,
          resource,
        });
      } catch (err) {
        // A failed synchronous provision leaves nothing behind: OSB's 5xx should not change state.
        await driver.deprovision(record).catch(() => undefined);
        await this.instances.delete(instanceId);
        throw err;
      }
      return { status: 201 };
    });
    // Started once this request's lock is released: the operation takes the lock itself.
    if (outcome.status === 202) this.runner.start(instanceId);
    return outcome;
  }

  private again(existing: InstanceRecord, body: ProvisionBody): ProvisionOutcome {
    const identical =
      existing.serviceId === body.service_id &&
      existing.planId === body.plan_id &&
      existing.organizationGuid === body.organization_guid &&
      existing.spaceGuid === body.space_guid &&
      sameJson(existing.parameters, body.parameters ?? {});
    if (!identical)
      throw new BrokerError(
        BrokerErrorCode.Conflict,
        `Service instance ${existing.id} already exists with other attributes.`,
      );
    switch (existing.state) {
      case 'in progress':
        return { status: 202, operation: existing.operation };
      case 'succeeded':
        return { status: 200 };
      case 'failed':
        throw new BrokerError(
          BrokerErrorCode.Conflict,
          `Service instance ${existing.id} failed to provision; deprovision it before trying again.`,
        );
    }
  }
}
