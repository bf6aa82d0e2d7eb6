import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppsQueryService } from '@wharf/apps';
import { AuditActor, AuditEventRecordAction, SYSTEM_ACTOR } from '@wharf/events';
import { requireDeveloper, Visibility } from '@wharf/access';
import { isUniqueViolation } from '@wharf/platform/db';
import { JobBus } from '@wharf/platform/queue';
import { ServiceCredentialBindingEntity } from './service-credential-binding.entity';
import { ServiceInstanceRepository } from './service-instance.repository';
import { ServicesQueryService } from './services-query.service';
import { ServicesErrorCode, servicesError } from './services.errors';

const appTaken = () =>
  servicesError(
    ServicesErrorCode.ServiceBindingAppServiceTaken,
    'The app is already bound to the service instance.',
  );

/**
 * POST /v3/service_credential_bindings with `type: app`: binds an app to an instance of its own
 * space. A user-provided binding reads the instance's credentials whenever the app's environment
 * is built, so updating the instance reaches every bound app at its next restart.
 */
@Injectable()
export class AppBindingCreateAction {
  constructor(
    private readonly repo: ServiceInstanceRepository,
    private readonly query: ServicesQueryService,
    private readonly apps: AppsQueryService,
    private readonly events: AuditEventRecordAction,
    private readonly jobs: JobBus,
  ) {}

  async execute(input: {
    scope: Visibility;
    serviceInstanceGuid: string;
    appGuid: string;
    name?: string | null;
    actor?: AuditActor;
  }): Promise<ServiceCredentialBindingEntity> {
    const instance = await this.query
      .getInstance(input.scope, input.serviceInstanceGuid)
      .catch(() => {
        throw servicesError(
          ServicesErrorCode.InvalidBinding,
          `The service instance could not be found: ${input.serviceInstanceGuid}`,
        );
      });
    requireDeveloper(input.scope, instance.spaceGuid);
    const app = await this.apps.getApp(input.scope, input.appGuid).catch(() => {
      throw servicesError(
        ServicesErrorCode.InvalidBinding,
        `The app could not be found: ${input.appGuid}`,
      );
    });
    if (app.spaceGuid !== instance.spaceGuid)
      throw servicesError(
        ServicesErrorCode.InvalidBinding,
        'The service instance and the app are in different spaces.',
      );
    if (instance.type !== 'user-provided')
      throw servicesError(
        ServicesErrorCode.InvalidBinding,
        'Only user-provided service instances can be bound until managed services are available.',
      );
    if (await this.repo.findAppBinding(instance.guid, app.guid)) throw appTaken();
    const name = input.name?.trim() || null;
    try {
      // The binding and its event commit together.
      return await this.jobs.transaction(async (tx) => {
        const binding = await this.repo.saveBinding(
          {
            guid: randomUUID(),
            type: 'app',
            name,
            serviceInstanceGuid: instance.guid,
            appGuid: app.guid,
            credentialsSealed: null,
            labels: {},
            annotations: {},
          },
          tx.manager,
        );
        await this.events.execute(
          {
            type: 'audit.service_binding.create',
            actor: input.actor ?? SYSTEM_ACTOR,
            target: { guid: binding.guid, type: 'service_binding', name: name ?? '' },
            data: { request: { app_guid: app.guid, service_instance_guid: instance.guid, name } },
            spaceGuid: app.spaceGuid,
          },
          tx.manager,
        );
        return binding;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw appTaken();
      throw err;
    }
  }
}

/** DELETE /v3/service_credential_bindings/:guid. */
@Injectable()
export class CredentialBindingDeleteAction {
  constructor(
    private readonly repo: ServiceInstanceRepository,
    private readonly query: ServicesQueryService,
    private readonly events: AuditEventRecordAction,
    private readonly jobs: JobBus,
  ) {}

  async execute(input: { scope: Visibility; guid: string; actor?: AuditActor }): Promise<void> {
    const binding = await this.query.getBinding(input.scope, input.guid);
    const instance = await this.query.getInstanceToChange(input.scope, binding.serviceInstanceGuid);
    // The deletion and its event commit together.
    await this.jobs.transaction(async (tx) => {
      await this.repo.deleteBinding(binding.guid, tx.manager);
      await this.events.execute(
        {
          type: 'audit.service_binding.delete',
          actor: input.actor ?? SYSTEM_ACTOR,
          target: { guid: binding.guid, type: 'service_binding', name: binding.name ?? '' },
          data: { request: { app_guid: binding.appGuid, service_instance_guid: instance.guid } },
          spaceGuid: instance.spaceGuid,
        },
        tx.manager,
      );
    });
  }
}
