import { Injectable } from '@nestjs/common';
import { JobRecordRepository } from '@wharf/platform/queue';
import { ServiceCatalogRepository } from './service-catalog.repository';
import { ServicesErrorCode, servicesError } from './services.errors';

/** The work of a `service_broker.delete` job: removes a broker with its offerings and plans, checking again that no instance uses them. */
@Injectable()
export class ServiceBrokerDeletion {
  constructor(
    private readonly repo: ServiceCatalogRepository,
    private readonly jobs: JobRecordRepository,
  ) {}

  async run({ jobGuid, brokerGuid }: { jobGuid: string; brokerGuid: string }): Promise<void> {
    const broker = await this.repo.findBroker(brokerGuid);
    if (broker) {
      if ((await this.repo.countInstancesOfBroker(broker.guid)) > 0)
        throw servicesError(
          ServicesErrorCode.ServiceBrokerNotRemovable,
          `Can not remove brokers that have associated service instances: ${broker.name}`,
        );
      await this.repo.deleteBroker(broker.guid);
    }
    await this.jobs.complete(jobGuid);
  }
}
