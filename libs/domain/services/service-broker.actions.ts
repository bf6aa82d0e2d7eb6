import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditActor, AuditEventRecordAction, SYSTEM_ACTOR } from '@wharf/events';
import type { Visibility } from '@wharf/access';
import { isUniqueViolation } from '@wharf/platform/db';
import { JobBus, JobTransaction, UserJobLauncher } from '@wharf/platform/queue';
import { SecretBox } from '@wharf/platform/secrets';
import { ServiceBrokerEntity } from './service-broker.entity';
import { ServiceCatalogQueryService } from './service-catalog-query.service';
import { ServiceCatalogRepository } from './service-catalog.repository';
import { ServicesErrorCode, servicesError } from './services.errors';

export interface BrokerFields {
  name?: string;
  url?: string;
  username?: string;
  password?: string;
}

function adminOnly(scope: Visibility): void {
  if (!scope.all)
    throw servicesError(
      ServicesErrorCode.AdminOnly,
      'You are not authorized to perform the requested action: only platform admins manage service brokers.',
    );
}

function validUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw servicesError(ServicesErrorCode.InvalidServiceBroker, `Url must be a valid url: ${url}`);
  }
  if (!['http:', 'https:'].includes(parsed.protocol))
    throw servicesError(
      ServicesErrorCode.InvalidServiceBroker,
      'Url must be an http or https url.',
    );
  if (parsed.username || parsed.password)
    throw servicesError(
      ServicesErrorCode.InvalidServiceBroker,
      'Url must not contain credentials: give them as authentication.credentials.',
    );
  return url.replace(/\/+$/, '');
}

function validName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 255)
    throw servicesError(
      ServicesErrorCode.InvalidServiceBroker,
      'Name must be between 1 and 255 characters.',
    );
  return trimmed;
}

const nameTaken = (name: string) =>
  servicesError(
    ServicesErrorCode.ServiceBrokerNameTaken,
    `Name must be unique: a service broker named '${name}' already exists.`,
  );

async function auditOf(
  events: AuditEventRecordAction,
  broker: ServiceBrokerEntity,
  type: string,
  actor: AuditActor | undefined,
  request: Record<string, unknown>,
  manager: EntityManager,
): Promise<void> {
  await events.execute(
    {
      type,
      actor: actor ?? SYSTEM_ACTOR,
      target: { guid: broker.guid, type: 'service_broker', name: broker.name },
      // The password never: only that credentials were given.
      data: { request },
    },
    manager,
  );
}

/**
 * POST /v3/service_brokers: stores the broker (password sealed) unregistered and starts the job that
 * fetches its catalog. A broker whose first catalog fetch fails is removed again by that job.
 */
@Injectable()
export class ServiceBrokerCreateAction {
  constructor(
    private readonly repo: ServiceCatalogRepository,
    private readonly box: SecretBox,
    private readonly launcher: UserJobLauncher,
    private readonly events: AuditEventRecordAction,
  ) {}

  async execute(input: {
    scope: Visibility;
    userGuid: string | null;
    fields: Required<BrokerFields>;
    actor?: AuditActor;
  }): Promise<{ broker: ServiceBrokerEntity; jobGuid: string }> {
    adminOnly(input.scope);
    const name = validName(input.fields.name);
    const url = validUrl(input.fields.url);
    if (await this.repo.findBrokerByName(name)) throw nameTaken(name);
    const guid = randomUUID();
    let broker: ServiceBrokerEntity | undefined;
    // The broker, its event, the /v3/jobs row and the catalog fetch commit together.
    const launch = (within: (tx: JobTransaction) => Promise<void>) =>
      this.launcher.launch(
        'service_broker.sync',
        {
          operation: 'service_broker.catalog.synchronize',
          resourceType: 'service_broker',
          resourceGuid: guid,
          userGuid: input.userGuid,
        },
        { brokerGuid: guid },
        within,
      );
    let jobGuid: string;
    try {
      ({ jobGuid } = await launch(async (tx) => {
        broker = await this.repo.saveBroker(
          {
            guid,
            name,
            url,
            username: input.fields.username,
            passwordSealed: this.box.seal(input.fields.password),
            registered: false,
            labels: {},
            annotations: {},
          },
          tx.manager,
        );
        await auditOf(
          this.events,
          broker,
          'audit.service_broker.create',
          input.actor,
          { name, url, authentication: '[PRIVATE DATA HIDDEN]' },
          tx.manager,
        );
      }));
    } catch (err) {
      if (isUniqueViolation(err)) throw nameTaken(name);
      throw err;
    }
    if (!broker) throw new Error('the service broker was not recorded');
    return { broker, jobGuid };
  }
}

/**
 * PATCH /v3/service_brokers/:guid: a new name alone applies at once; a new url or credentials
 * (or an explicit refresh) fetch the catalog again in a job.
 */
@Injectable()
export class ServiceBrokerUpdateAction {
  constructor(
    private readonly repo: ServiceCatalogRepository,
    private readonly query: ServiceCatalogQueryService,
    private readonly box: SecretBox,
    private readonly launcher: UserJobLauncher,
    private readonly events: AuditEventRecordAction,
    private readonly jobs: JobBus,
  ) {}

  async execute(input: {
    scope: Visibility;
    userGuid: string | null;
    guid: string;
    fields: BrokerFields;
    actor?: AuditActor;
  }): Promise<{ broker: ServiceBrokerEntity; jobGuid: string | null }> {
    adminOnly(input.scope);
    const broker = await this.query.getBroker(input.scope, input.guid);
    const f = input.fields;
    if (f.name !== undefined) {
      const name = validName(f.name);
      const other = await this.repo.findBrokerByName(name);
      if (other && other.guid !== broker.guid) throw nameTaken(name);
      broker.name = name;
    }
    const resync = f.url !== undefined || f.username !== undefined || f.password !== undefined;
    if (f.url !== undefined) broker.url = validUrl(f.url);
    if (f.username !== undefined) broker.username = f.username;
    if (f.password !== undefined) broker.passwordSealed = this.box.seal(f.password);
    let saved: ServiceBrokerEntity = broker;
    // The change, its event and (for a new url or credentials) the catalog fetch commit together.
    const change = async (tx: JobTransaction) => {
      saved = await this.repo.saveBroker(broker, tx.manager);
      await auditOf(
        this.events,
        saved,
        'audit.service_broker.update',
        input.actor,
        {
          ...(f.name !== undefined ? { name: f.name } : {}),
          ...(f.url !== undefined ? { url: f.url } : {}),
          ...(f.username !== undefined || f.password !== undefined
            ? { authentication: '[PRIVATE DATA HIDDEN]' }
            : {}),
        },
        tx.manager,
      );
    };
    let jobGuid: string | null = null;
    try {
      if (!resync) await this.jobs.transaction(change);
      else
        ({ jobGuid } = await this.launcher.launch(
          'service_broker.sync',
          {
            operation: 'service_broker.update',
            resourceType: 'service_broker',
            resourceGuid: broker.guid,
            userGuid: input.userGuid,
          },
          { brokerGuid: broker.guid },
          change,
        ));
    } catch (err) {
      if (isUniqueViolation(err)) throw nameTaken(broker.name);
      throw err;
    }
    return { broker: saved, jobGuid };
  }
}

/** DELETE /v3/service_brokers/:guid: refused while any instance uses one of its plans. */
@Injectable()
export class ServiceBrokerDeleteAction {
  constructor(
    private readonly repo: ServiceCatalogRepository,
    private readonly query: ServiceCatalogQueryService,
    private readonly launcher: UserJobLauncher,
    private readonly events: AuditEventRecordAction,
  ) {}

  async execute(input: {
    scope: Visibility;
    userGuid: string | null;
    guid: string;
    actor?: AuditActor;
  }): Promise<{ jobGuid: string }> {
    adminOnly(input.scope);
    const broker = await this.query.getBroker(input.scope, input.guid);
    const used = await this.repo.countInstancesOfBroker(broker.guid);
    if (used > 0)
      throw servicesError(
        ServicesErrorCode.ServiceBrokerNotRemovable,
        `Can not remove brokers that have associated service instances: ${broker.name} (${used} instance${used === 1 ? '' : 's'}).`,
      );
    // The request's event, the /v3/jobs row and the work commit together.
    return this.launcher.launch(
      'service_broker.delete',
      {
        operation: 'service_broker.delete',
        resourceType: 'service_broker',
        resourceGuid: broker.guid,
        userGuid: input.userGuid,
      },
      { brokerGuid: broker.guid },
      (tx) =>
        auditOf(this.events, broker, 'audit.service_broker.delete', input.actor, {}, tx.manager),
    );
  }
}
