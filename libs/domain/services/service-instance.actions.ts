import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditActor, AuditEventRecordAction } from '@wharf/events';
import { requireDeveloper, Visibility } from '@wharf/access';
import { IdentityQueryService } from '@wharf/identity';
import { isUniqueViolation } from '@wharf/platform/db';
import { JobBus } from '@wharf/platform/queue';
import { SecretBox } from '@wharf/platform/secrets';
import { ServiceInstanceEntity } from './service-instance.entity';
import { ServiceInstanceRepository } from './service-instance.repository';
import {
  auditInstance,
  instanceNameTaken,
  saveInstance,
  validInstanceName,
} from './service-instance.rules';
import { ServicesQueryService } from './services-query.service';
import { ServicesErrorCode, servicesError } from './services.errors';

export interface UserProvidedFields {
  name?: string;
  credentials?: Record<string, unknown>;
  tags?: string[];
  syslogDrainUrl?: string | null;
  routeServiceUrl?: string | null;
}

function validUrl(field: string, value: string | null | undefined): void {
  if (value === undefined || value === null || value === '') return;
  let ok = false;
  try {
    ok = ['http:', 'https:', 'syslog:', 'syslog-tls:'].includes(new URL(value).protocol);
  } catch {
    ok = false;
  }
  if (!ok) throw servicesError(ServicesErrorCode.InvalidServiceInstance, `${field} must be a URL.`);
}

/** POST /v3/service_instances with `type: user-provided`: credentials sealed before storing. */
@Injectable()
export class UserProvidedInstanceCreateAction {
  constructor(
    private readonly repo: ServiceInstanceRepository,
    private readonly identity: IdentityQueryService,
    private readonly box: SecretBox,
    private readonly events: AuditEventRecordAction,
    private readonly jobs: JobBus,
  ) {}

  async execute(input: {
    scope: Visibility;
    spaceGuid: string;
    fields: UserProvidedFields & { name: string };
    actor?: AuditActor;
  }): Promise<ServiceInstanceEntity> {
    const space = await this.identity.getSpace(input.scope, input.spaceGuid).catch(() => {
      throw servicesError(
        ServicesErrorCode.InvalidServiceInstance,
        'Invalid space. Ensure that the space exists and you have access to it.',
      );
    });
    requireDeveloper(input.scope, space.guid);
    const name = validInstanceName(input.fields.name);
    validUrl('syslog_drain_url', input.fields.syslogDrainUrl);
    validUrl('route_service_url', input.fields.routeServiceUrl);
    if (await this.repo.findByName(space.guid, name)) throw instanceNameTaken(name);
    try {
      // The instance and its event commit together.
      return await this.jobs.transaction(async (tx) => {
        const instance = await this.repo.save(
          {
            guid: randomUUID(),
            name,
            type: 'user-provided',
            spaceGuid: space.guid,
            credentialsSealed: this.box.sealJson(input.fields.credentials ?? {}),
            tags: input.fields.tags ?? [],
            syslogDrainUrl: input.fields.syslogDrainUrl || null,
            routeServiceUrl: input.fields.routeServiceUrl || null,
            labels: {},
            annotations: {},
          },
          tx.manager,
        );
        // Never the credentials themselves: only which keys changed.
        await auditInstance(
          this.events,
          instance,
          'user_provided_service_instance',
          {
            type: 'audit.user_provided_service_instance.create',
            actor: input.actor,
            data: { request: { name, tags: instance.tags, credentials: '[PRIVATE DATA HIDDEN]' } },
          },
          tx.manager,
        );
        return instance;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw instanceNameTaken(name);
      throw err;
    }
  }
}

/** PATCH /v3/service_instances/:guid of a user-provided instance. */
@Injectable()
export class UserProvidedInstanceUpdateAction {
  constructor(
    private readonly repo: ServiceInstanceRepository,
    private readonly query: ServicesQueryService,
    private readonly box: SecretBox,
    private readonly events: AuditEventRecordAction,
    private readonly jobs: JobBus,
  ) {}

  async execute(input: {
    scope: Visibility;
    guid: string;
    fields: UserProvidedFields;
    actor?: AuditActor;
  }): Promise<ServiceInstanceEntity> {
    const instance = await this.query.getInstanceToChange(input.scope, input.guid);
    if (instance.type !== 'user-provided')
      throw servicesError(
        ServicesErrorCode.InvalidServiceInstance,
        'Only user-provided service instances can be updated this way.',
      );
    const f = input.fields;
    validUrl('syslog_drain_url', f.syslogDrainUrl);
    validUrl('route_service_url', f.routeServiceUrl);
    if (f.name !== undefined) {
      const name = validInstanceName(f.name);
      const other = await this.repo.findByName(instance.spaceGuid, name);
      if (other && other.guid !== instance.guid) throw instanceNameTaken(name);
      instance.name = name;
    }
    if (f.credentials !== undefined) instance.credentialsSealed = this.box.sealJson(f.credentials);
    if (f.tags !== undefined) instance.tags = f.tags;
    if (f.syslogDrainUrl !== undefined) instance.syslogDrainUrl = f.syslogDrainUrl || null;
    if (f.routeServiceUrl !== undefined) instance.routeServiceUrl = f.routeServiceUrl || null;
    // The change and its event commit together.
    return this.jobs.transaction(async (tx) => {
      const saved = await saveInstance(this.repo, instance, tx.manager);
      await auditInstance(
        this.events,
        saved,
        'user_provided_service_instance',
        {
          type: 'audit.user_provided_service_instance.update',
          actor: input.actor,
          data: {
            request: {
              ...(f.name !== undefined ? { name: f.name } : {}),
              ...(f.tags !== undefined ? { tags: f.tags } : {}),
              ...(f.credentials !== undefined ? { credentials: '[PRIVATE DATA HIDDEN]' } : {}),
            },
          },
        },
        tx.manager,
      );
      return saved;
    });
  }
}

/** DELETE /v3/service_instances/:guid of a user-provided instance: its bindings go with it. */
@Injectable()
export class UserProvidedInstanceDeleteAction {
  constructor(
    private readonly repo: ServiceInstanceRepository,
    private readonly query: ServicesQueryService,
    private readonly events: AuditEventRecordAction,
    private readonly jobs: JobBus,
  ) {}

  async execute(input: { scope: Visibility; guid: string; actor?: AuditActor }): Promise<void> {
    const instance = await this.query.getInstanceToChange(input.scope, input.guid);
    if (instance.type !== 'user-provided')
      throw servicesError(
        ServicesErrorCode.InvalidServiceInstance,
        'Only user-provided service instances can be deleted this way.',
      );
    // The instance, its bindings and the event go together.
    await this.jobs.transaction(async (tx) => {
      await this.repo.delete(instance.guid, tx.manager);
      await auditInstance(
        this.events,
        instance,
        'user_provided_service_instance',
        { type: 'audit.user_provided_service_instance.delete', actor: input.actor, data: {} },
        tx.manager,
      );
    });
  }
}
