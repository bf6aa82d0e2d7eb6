import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { JobPayloads } from '@wharf/contracts';
import { isUuid } from '@wharf/platform/db';
import { JobHandler, JobProcessor, JobRecordRepository } from '@wharf/platform/queue';
import { ServiceCatalogRepository } from './service-catalog.repository';
import { ServicesErrorCode, servicesError } from './services.errors';

/** Removes a broker with its offerings and plans, checking again that no instance uses them. */
@Injectable()
@JobHandler('service_broker.delete')
export class ServiceBrokerDeleteProcessor implements JobProcessor<'service_broker.delete'> {
  constructor(
    private readonly repo: ServiceCatalogRepository,
    private readonly jobs: JobRecordRepository,
  ) {}

  async handle(payload: JobPayloads['service_broker.delete']): Promise<void> {
    if (!isUuid(payload?.jobGuid) || !isUuid(payload?.brokerGuid))
      throw new UnrecoverableError('service_broker.delete needs jobGuid and brokerGuid');
    const broker = await this.repo.findBroker(payload.brokerGuid);
    if (broker) {
      if ((await this.repo.countInstancesOfBroker(broker.guid)) > 0)
        throw servicesError(
          ServicesErrorCode.ServiceBrokerNotRemovable,
          `Can not remove brokers that have associated service instances: ${broker.name}`,
        );
      await this.repo.deleteBroker(broker.guid);
    }
    await this.jobs.complete(payload.jobGuid);
  }
}
