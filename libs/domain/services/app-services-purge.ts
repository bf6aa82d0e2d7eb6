import { Injectable } from '@nestjs/common';
import { AppsQueryService } from '@wharf/apps';
import { PLATFORM_VISIBILITY } from '@wharf/access';
import { ServiceBindingOperationAdapter } from './service-binding-operation.adapter';
import { ServiceCatalogQueryService } from './service-catalog-query.service';
import { ServiceInstanceRepository } from './service-instance.repository';

/** The work of an `app.services_purge` job: a deleted app's bindings are deleted (the instances stay), managed ones at their brokers too. */
@Injectable()
export class AppServicesPurge {
  constructor(
    private readonly apps: AppsQueryService,
    private readonly repo: ServiceInstanceRepository,
    private readonly catalog: ServiceCatalogQueryService,
    private readonly bindings: ServiceBindingOperationAdapter,
  ) {}

  async run({ appGuid }: { appGuid: string }): Promise<void> {
    if (await this.apps.findApp(PLATFORM_VISIBILITY, appGuid)) return;
    // Managed bindings are also deleted at their brokers (retried until the broker confirms), so a
    // deleted app leaves no credentials behind that still work.
    for (const b of await this.repo.bindingsOfApp(appGuid)) {
      const instance = await this.repo.findByGuid(b.serviceInstanceGuid);
      const plan = instance?.servicePlanGuid
        ? await this.catalog.catalogOfPlanGuid(instance.servicePlanGuid)
        : null;
      if (plan) await this.bindings.mitigate(b, plan);
    }
    await this.repo.deleteBindingsOfApp(appGuid);
  }
}
