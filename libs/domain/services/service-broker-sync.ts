import { Injectable, Logger } from '@nestjs/common';
import { JobRecordRepository } from '@wharf/platform/queue';
import { BrokerEndpoints } from './broker-endpoints';
import { parseCatalog } from './osb/osb-catalog';
import { OsbClient } from './osb/osb-client';
import { describeAnswer } from './osb/osb-outcome';
import { ServiceCatalogRepository } from './service-catalog.repository';
import { ServicesErrorCode, servicesError } from './services.errors';

/**
 * The work of a `service_broker.sync` job: fetches a broker's catalog (GET /v2/catalog) and applies it. A broker that never synced is
 * removed when its catalog cannot be fetched or is invalid, so a failed registration leaves
 * nothing behind; a registered broker keeps its last good catalog.
 */
@Injectable()
export class ServiceBrokerSync {
  private readonly logger = new Logger('ServiceBrokerSync');

  constructor(
    private readonly repo: ServiceCatalogRepository,
    private readonly endpoints: BrokerEndpoints,
    private readonly osb: OsbClient,
    private readonly jobs: JobRecordRepository,
  ) {}

  async run({ jobGuid, brokerGuid }: { jobGuid: string; brokerGuid: string }): Promise<void> {
    const broker = await this.repo.findBroker(brokerGuid);
    if (!broker) {
      await this.jobs.complete(jobGuid);
      return;
    }
    const res = await this.osb.call(this.endpoints.of(broker), {
      method: 'GET',
      path: '/v2/catalog',
    });
    let failure: Error | null = null;
    if (res.kind === 'unreachable')
      failure = servicesError(
        ServicesErrorCode.ServiceBrokerUnreachable,
        `The service broker could not be reached: ${broker.url}/v2/catalog: ${res.reason}`,
      );
    else if (res.status !== 200)
      failure = servicesError(
        ServicesErrorCode.ServiceBrokerRequestRejected,
        `The service broker rejected the request to ${broker.url}/v2/catalog. ${describeAnswer(res)}`,
      );
    else {
      const parsed = parseCatalog(res.body);
      if ('problems' in parsed)
        failure = servicesError(
          ServicesErrorCode.ServiceBrokerCatalogInvalid,
          `Service broker catalog is invalid: ${res.malformed ? 'the body is not JSON' : parsed.problems.join('; ')}`,
        );
      else {
        const change = await this.repo.applyCatalog(broker.guid, parsed.catalog);
        this.logger.log(
          `broker ${broker.name}: ${change.offerings} offerings, ${change.plans} plans${change.keptUnavailable.length ? `; unavailable but in use: ${change.keptUnavailable.join(', ')}` : ''}`,
        );
        await this.jobs.complete(jobGuid);
        return;
      }
    }
    if (!broker.registered) await this.repo.deleteBroker(broker.guid);
    // A DomainError fails the job with the CF error, without retries.
    throw failure;
  }
}
