import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { JobPayloads } from '@wharf/contracts';
import { AppsQueryService } from '@wharf/apps';
import { PLATFORM_VISIBILITY } from '@wharf/access';
import { isUuid } from '@wharf/platform/db';
import { JobHandler, JobProcessor } from '@wharf/platform/queue';
import { ServiceBindingOperationAdapter } from './service-binding-operation.adapter';
import { ServiceCatalogQueryService } from './service-catalog-query.service';
import { ServiceInstanceRepository } from './service-instance.repository';

/** A deleted app's bindings are deleted (the instances stay), managed ones at their brokers too. */
@Injectable()
@JobHandler('app.services_purge')
export class AppServicesPurgeProcessor implements JobProcessor<'app.services_purge'> {
  constructor(
    private readonly apps: AppsQueryService,
    private readonly repo: ServiceInstanceRepository,
    private readonly catalog: ServiceCatalogQueryService,
    private readonly bindings: ServiceBindingOperationAdapter,
  ) {}

  async handle(payload: JobPayloads['app.services_purge']): Promise<void> {
    if (!isUuid(payload?.appGuid)) throw new UnrecoverableError('app.services_purge needs appGuid');
    if (await this.apps.findApp(PLATFORM_VISIBILITY, payload.appGuid)) return;
    // Managed bindings are also deleted at their brokers (retried until the broker confirms), so a
    // deleted app leaves no credentials behind that still work.
    for (const b of await this.repo.bindingsOfApp(payload.appGuid)) {
      const instance = await this.repo.findByGuid(b.serviceInstanceGuid);
      const plan = instance?.servicePlanGuid
        ? await this.catalog.catalogOfPlanGuid(instance.servicePlanGuid)
        : null;
      if (plan) await this.bindings.mitigate(b, plan);
    }
    await this.repo.deleteBindingsOfApp(payload.appGuid);
  }
}
