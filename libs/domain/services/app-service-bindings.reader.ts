import { Global, Injectable, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_SERVICE_BINDINGS, AppServiceBindings } from '@wharf/apps';
import { SecretBox } from '@wharf/platform/secrets';
import { ServiceInstanceRepository } from './service-instance.repository';
import { SERVICES_ENTITIES } from './services.entities';
import { BoundService, buildVcapServices, databaseUrlOf } from './vcap-services';

/** VCAP_SERVICES and DATABASE_URL of an app, from its bindings (oldest first). */
@Injectable()
export class AppServiceBindingsReader implements AppServiceBindings {
  constructor(
    private readonly repo: ServiceInstanceRepository,
    private readonly box: SecretBox,
  ) {}

  async environmentOf(
    appGuid: string,
  ): Promise<{ vcapServices: Record<string, unknown[]>; databaseUrl: string | null }> {
    const bindings = await this.repo.bindingsOfApp(appGuid);
    const instances = new Map(
      (await this.repo.findByGuids(bindings.map((b) => b.serviceInstanceGuid))).map((i) => [
        i.guid,
        i,
      ]),
    );
    const bound: BoundService[] = [];
    for (const b of bindings) {
      const instance = instances.get(b.serviceInstanceGuid);
      if (!instance) continue;
      const sealed = b.credentialsSealed ?? instance.credentialsSealed;
      bound.push({
        label: instance.type === 'user-provided' ? 'user-provided' : instance.type,
        bindingGuid: b.guid,
        bindingName: b.name,
        instanceGuid: instance.guid,
        instanceName: instance.name,
        plan: null,
        provider: null,
        tags: instance.tags,
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
    { provide: APP_SERVICE_BINDINGS, useClass: AppServiceBindingsReader },
  ],
  exports: [APP_SERVICE_BINDINGS],
})
export class AppServiceBindingsModule {}
