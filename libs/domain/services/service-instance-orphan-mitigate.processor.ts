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
 * Orphan mitigation for a provision whose outcome is unknown (OSB v2.17): DELETE the instance at
 * the broker until it answers 200 or 410. Anything else throws, so the queue retries with backoff.
 */
@Injectable()
@JobHandler('service_instance.orphan_mitigate')
export class ServiceInstanceOrphanMitigateProcessor implements JobProcessor<'service_instance.orphan_mitigate'> {
  private readonly logger = new Logger('OrphanMitigation');

  constructor(
    private readonly catalog: ServiceCatalogRepository,
    private readonly endpoints: BrokerEndpoints,
    private readonly osb: OsbClient,
  ) {}

  async handle(payload: JobPayloads['service_instance.orphan_mitigate']): Promise<void> {
    if (!isUuid(payload?.brokerGuid) || !isUuid(payload?.instanceGuid))
      throw new UnrecoverableError(
        'service_instance.orphan_mitigate needs brokerGuid and instanceGuid',
      );
    const broker = await this.catalog.findBroker(payload.brokerGuid);
    if (!broker) return;
    const res = await this.osb.call(this.endpoints.of(broker), {
      method: 'DELETE',
      path: `/v2/service_instances/${payload.instanceGuid}`,
      query: { service_id: payload.serviceId, plan_id: payload.planId, accepts_incomplete: 'true' },
    });
    const outcome = deleteOutcome(res);
    // 202: the broker is deleting it; the broker owns the rest.
    if (outcome.kind === 'done' || outcome.kind === 'async') {
      this.logger.log(
        `orphan mitigation: instance ${payload.instanceGuid} deleted at ${broker.name}`,
      );
      return;
    }
    throw new Error(
      `orphan mitigation of instance ${payload.instanceGuid}: ${outcome.description}`,
    );
  }
}
