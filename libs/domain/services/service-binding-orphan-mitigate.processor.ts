import { Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { JobPayloads } from '@wharf/contracts';
import { isUuid } from '@wharf/platform/db';
import { JobHandler, JobProcessor } from '@wharf/platform/queue';
import { BrokerEndpoints } from './broker-endpoints';
import { OsbClient } from './osb/osb-client';
import { deleteOutcome } from './osb/osb-outcome';
import { ServiceCatalogRepository } from './service-catalog.repository';

/**
 * Deletes a binding at the broker until it answers 200 or 410: orphan mitigation after a bind
 * whose outcome is unknown, and the unbind of a deleted app's managed bindings. Anything else
 * throws, so the queue retries with backoff.
 */
@Injectable()
@JobHandler('service_binding.orphan_mitigate')
export class ServiceBindingOrphanMitigateProcessor implements JobProcessor<'service_binding.orphan_mitigate'> {
  private readonly logger = new Logger('OrphanMitigation');

  constructor(
    private readonly catalog: ServiceCatalogRepository,
    private readonly endpoints: BrokerEndpoints,
    private readonly osb: OsbClient,
  ) {}

  async handle(payload: JobPayloads['service_binding.orphan_mitigate']): Promise<void> {
    if (
      !isUuid(payload?.brokerGuid) ||
      !isUuid(payload?.bindingGuid) ||
      !isUuid(payload?.instanceGuid)
    )
      throw new UnrecoverableError(
        'service_binding.orphan_mitigate needs brokerGuid, instanceGuid and bindingGuid',
      );
    const broker = await this.catalog.findBroker(payload.brokerGuid);
    if (!broker) return;
    const res = await this.osb.call(this.endpoints.of(broker), {
      method: 'DELETE',
      path: `/v2/service_instances/${payload.instanceGuid}/service_bindings/${payload.bindingGuid}`,
      query: { service_id: payload.serviceId, plan_id: payload.planId, accepts_incomplete: 'true' },
    });
    const outcome = deleteOutcome(res);
    if (outcome.kind === 'done' || outcome.kind === 'async') {
      this.logger.log(`binding ${payload.bindingGuid} deleted at ${broker.name}`);
      return;
    }
    throw new Error(
      `deleting binding ${payload.bindingGuid} at ${broker.name}: ${outcome.description}`,
    );
  }
}
