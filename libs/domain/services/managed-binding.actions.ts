import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppsQueryService } from '@wharf/apps';
import { AuditActor, AuditEventRecordAction, SYSTEM_ACTOR } from '@wharf/events';
import { requireDeveloper, Visibility } from '@wharf/access';
import { isUniqueViolation } from '@wharf/platform/db';
import { UserJobLauncher } from '@wharf/platform/queue';
import { SecretBox } from '@wharf/platform/secrets';
import {
  CredentialBindingType,
  ServiceCredentialBindingEntity,
} from './service-credential-binding.entity';
import { ParametersValidator } from './parameters.validator';
import { ServiceCatalogQueryService } from './service-catalog-query.service';
import { ServiceInstanceRepository } from './service-instance.repository';
import { launchOperation } from './service-instance.rules';
import { ServicesQueryService } from './services-query.service';
import { ServicesErrorCode, servicesError } from './services.errors';

const inProgress = (what: string) =>
  servicesError(ServicesErrorCode.OperationInProgress, `An operation for ${what} is in progress.`);

/**
 * POST /v3/service_credential_bindings for a managed instance (an app binding or a service key):
 * recorded with a `create` operation in state `initial`, then a job asks the broker to bind and
 * stores the credentials it returns (sealed). 202 + job.
 */
@Injectable()
export class ManagedBindingCreateAction {
  constructor(
    private readonly repo: ServiceInstanceRepository,
    private readonly query: ServicesQueryService,
    private readonly apps: AppsQueryService,
    private readonly catalog: ServiceCatalogQueryService,
    private readonly parameters: ParametersValidator,
    private readonly box: SecretBox,
    private readonly launcher: UserJobLauncher,
    private readonly events: AuditEventRecordAction,
  ) {}

  async execute(input: {
    scope: Visibility;
    userGuid: string | null;
    type: CredentialBindingType;
    serviceInstanceGuid: string;
    appGuid?: string;
    name?: string | null;
    parameters?: Record<string, unknown>;
    actor?: AuditActor;
  }): Promise<{ binding: ServiceCredentialBindingEntity; jobGuid: string }> {
    const instance = await this.query
      .getInstance(input.scope, input.serviceInstanceGuid)
      .catch(() => {
        throw servicesError(
          ServicesErrorCode.InvalidBinding,
          `The service instance could not be found: ${input.serviceInstanceGuid}`,
        );
      });
    requireDeveloper(input.scope, instance.spaceGuid);
    const op = instance.lastOperation;
    if (op.state === 'initial' || op.state === 'in progress')
      throw inProgress(`service instance ${instance.name}`);
    if (op.type === 'create' && op.state === 'failed')
      throw servicesError(
        ServicesErrorCode.UnableToPerform,
        `Service instance ${instance.name} is not ready to be bound: its creation failed.`,
      );
    const found = await this.catalog.catalogOfPlanGuid(instance.servicePlanGuid);
    if (!found)
      throw servicesError(
        ServicesErrorCode.InvalidBinding,
        'The service plan of this instance no longer exists.',
      );
    if (!(found.plan.bindable ?? found.offering.bindable))
      throw servicesError(
        ServicesErrorCode.InvalidBinding,
        `Service plan ${found.plan.name} of ${found.offering.name} is not bindable.`,
      );
    let appGuid: string | null = null;
    const name = input.name?.trim() || null;
    if (input.type === 'app') {
      const app = await this.apps.getApp(input.scope, input.appGuid ?? '').catch(() => {
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
      if (await this.repo.findAppBinding(instance.guid, app.guid)) throw appTaken();
      appGuid = app.guid;
    } else {
      if (!name)
        throw servicesError(ServicesErrorCode.InvalidBinding, 'A service key needs a name.');
      if (await this.repo.findKeyByName(instance.guid, name)) throw keyTaken(name, instance.name);
    }
    this.parameters.check(
      found.plan.schemas.service_binding?.create?.parameters,
      input.parameters,
      'service binding',
    );
    const guid = randomUUID();
    let binding: ServiceCredentialBindingEntity | undefined;
    const { jobGuid } = await launchOperation(
      this.launcher,
      'service_binding.operate',
      { type: 'create', guid, userGuid: input.userGuid },
      { bindingGuid: guid, poll: 0 },
      async (lastOperation, tx) => {
        try {
          binding = await this.repo.saveBinding(
            {
              guid,
              type: input.type,
              name,
              serviceInstanceGuid: instance.guid,
              appGuid,
              credentialsSealed: null,
              pendingParametersSealed: input.parameters
                ? this.box.sealJson(input.parameters)
                : null,
              lastOperation,
              labels: {},
              annotations: {},
            },
            tx.manager,
          );
        } catch (err) {
          if (isUniqueViolation(err))
            throw input.type === 'app' ? appTaken() : keyTaken(name ?? '', instance.name);
          throw err;
        }
        await this.events.execute(
          {
            type:
              input.type === 'app'
                ? 'audit.service_binding.start_create'
                : 'audit.service_key.start_create',
            actor: input.actor ?? SYSTEM_ACTOR,
            target: {
              guid,
              type: input.type === 'app' ? 'service_binding' : 'service_key',
              name: name ?? '',
            },
            data: {
              request: {
                app_guid: appGuid,
                service_instance_guid: instance.guid,
                name,
                ...(input.parameters ? { parameters: '[PRIVATE DATA HIDDEN]' } : {}),
              },
            },
            spaceGuid: instance.spaceGuid,
          },
          tx.manager,
        );
      },
    );
    if (!binding) throw new Error('the binding was not recorded');
    return { binding, jobGuid };
  }
}

/** DELETE /v3/service_credential_bindings/:guid of a managed binding: the broker unbinds in a job. */
@Injectable()
export class ManagedBindingDeleteAction {
  constructor(
    private readonly repo: ServiceInstanceRepository,
    private readonly query: ServicesQueryService,
    private readonly launcher: UserJobLauncher,
    private readonly events: AuditEventRecordAction,
  ) {}

  async execute(input: {
    scope: Visibility;
    userGuid: string | null;
    guid: string;
    actor?: AuditActor;
  }): Promise<{ jobGuid: string }> {
    const binding = await this.query.getBinding(input.scope, input.guid);
    const instance = await this.query.getInstanceToChange(input.scope, binding.serviceInstanceGuid);
    const op = binding.lastOperation;
    if (op.state === 'initial' || op.state === 'in progress') throw inProgress('this binding');
    const iop = instance.lastOperation;
    if (iop.state === 'initial' || iop.state === 'in progress')
      throw inProgress(`service instance ${instance.name}`);
    return launchOperation(
      this.launcher,
      'service_binding.operate',
      { type: 'delete', guid: binding.guid, userGuid: input.userGuid },
      { bindingGuid: binding.guid, poll: 0 },
      async (lastOperation, tx) => {
        await this.repo.updateBinding(binding.guid, { lastOperation }, tx.manager);
        await this.events.execute(
          {
            type:
              binding.type === 'app'
                ? 'audit.service_binding.start_delete'
                : 'audit.service_key.start_delete',
            actor: input.actor ?? SYSTEM_ACTOR,
            target: {
              guid: binding.guid,
              type: binding.type === 'app' ? 'service_binding' : 'service_key',
              name: binding.name ?? '',
            },
            data: {
              request: { app_guid: binding.appGuid, service_instance_guid: instance.guid },
            },
            spaceGuid: instance.spaceGuid,
          },
          tx.manager,
        );
      },
    );
  }
}

const appTaken = () =>
  servicesError(
    ServicesErrorCode.ServiceBindingAppServiceTaken,
    'The app is already bound to the service instance.',
  );

const keyTaken = (name: string, instanceName: string) =>
  servicesError(
    ServicesErrorCode.ServiceKeyNameTaken,
    `The binding name is invalid. Key binding names must be unique. The service instance already has a key binding with name '${name}' (${instanceName}).`,
  );
