import { Global, Injectable, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_SERVICE_BINDINGS, AppServiceBindings } from '@wharf/apps';
import { SecretBox } from '@wharf/platform/secrets';
import { ServiceCatalogRepository } from './service-catalog.repository';
import { ServiceInstanceRepository } from './service-instance.repository';
import { SERVICES_ENTITIES } from './services.entities';
import { BoundService, buildVcapServices, databaseUrlOf } from './vcap-services';

/** VCAP_SERVICES and DATABASE_URL of an app, from its bindings (oldest first). */
@Injectable()
export class AppServiceBindingsReader implements AppServiceBindings {
  constructor(
    private readonly repo: ServiceInstanceRepository,
    private readonly catalog: ServiceCatalogRepository,
    private readonly box: SecretBox,
  ) {}

  async environmentOf(
    appGuid: string,
  ): Promise<{ vcapServices: Record<string, unknown[]>; databaseUrl: string | null }> {
    // A binding the broker has not (yet) confirmed has no credentials to give.
    const bindings = (await this.repo.bindingsOfApp(appGuid)).filter(
      (b) => !(b.lastOperation.type === 'create' && b.lastOperation.state !== 'succeeded'),
    );
    const instances = new Map(
      (await this.repo.findByGuids(bindings.map((b) => b.serviceInstanceGuid))).map((i) => [
        i.guid,
        i,
      ]),
    );
    const plans = new Map(
      (
        await this.catalog.findPlansByGuids(
          [...instances.values()].flatMap((i) => (i.servicePlanGuid ? [i.servicePlanGuid] : [])),
        )
      ).map((p) => [p.guid, p]),
    );
    const offerings = new Map(
      (await this.catalog.findOfferingsByGuids([...plans.values()].map((p) => p.offeringGuid))).map(
        (o) => [o.guid, o],
      ),
    );
    const bound: BoundService[] = [];
    for (const b of bindings) {
      const instance = instances.get(b.serviceInstanceGuid);
      if (!instance) continue;
      const sealed = b.credentialsSealed ?? instance.credentialsSealed;
      const plan = instance.servicePlanGuid ? plans.get(instance.servicePlanGuid) : undefined;
      const offering = plan ? offerings.get(plan.offeringGuid) : undefined;
      bound.push({
        // Managed: the offering's name and plan, its tags before the instance's (as CF does).
        label: instance.type === 'user-provided' ? 'user-provided' : (offering?.name ?? 'unknown'),
        bindingGuid: b.guid,
        bindingName: b.name,
        instanceGuid: instance.guid,
        instanceName: instance.name,
        plan: plan?.name ?? null,
        provider: null,
        tags: [...new Set([...(offering?.tags ?? []), ...instance.tags])],
        credentials: sealed ? this.box.openJson<Record<string, unknown>>(sealed) : {},
        syslogDrainUrl: instance.syslogDrainUrl,
      });
    }
    return { vcapServices: buildVcapServices(bound), databaseUrl: databaseUrlOf(bound) };
  }
}

/** Makes the reader available to the apps context wherever services are loaded (api and worker). */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature(SERVICES_ENTITIES)],
  providers: [
    ServiceInstanceRepository,
    ServiceCatalogRepository,
    { provide: APP_SERVICE_BINDINGS, useClass: AppServiceBindingsReader },
  ],
  exports: [APP_SERVICE_BINDINGS],
})
export class AppServiceBindingsModule {}
