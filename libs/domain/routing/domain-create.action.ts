import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditActor, AuditEventRecordAction, SYSTEM_ACTOR } from '@wharf/events';
import { mayManageOrganization, notAuthorized, Visibility } from '@wharf/access';
import { IdentityQueryService } from '@wharf/identity';
import { isUniqueViolation } from '@wharf/platform/db';
import { DomainEntity } from './domain.entity';
import { DomainRepository } from './domain.repository';
import { validateDomainName } from './route-names';
import { RoutingErrorCode, routingError } from './routing.errors';

/** POST /v3/domains: private to an org, or shared (admins only). */
@Injectable()
export class DomainCreateAction {
  constructor(
    private readonly domains: DomainRepository,
    private readonly identity: IdentityQueryService,
    private readonly events: AuditEventRecordAction,
  ) {}

  async execute(input: {
    scope: Visibility;
    name: string;
    internal?: boolean;
    organizationGuid?: string;
    actor?: AuditActor;
  }): Promise<DomainEntity> {
    const name = validateDomainName(input.name);
    if (input.organizationGuid) {
      await this.identity.getOrganization(input.scope, input.organizationGuid).catch(() => {
        throw routingError(
          RoutingErrorCode.InvalidDomain,
          'Organization with guid ' +
            input.organizationGuid +
            ' does not exist, or you do not have access to it.',
        );
      });
      if (!mayManageOrganization(input.scope, input.organizationGuid)) throw notAuthorized();
      if (input.internal) {
        throw routingError(RoutingErrorCode.InvalidDomain, 'Private domains cannot be internal.');
      }
    } else if (!input.scope.all) {
      throw routingError(RoutingErrorCode.NotAuthorized, 'Only admins can create shared domains.');
    }
    const taken = () =>
      routingError(RoutingErrorCode.DomainExists, `The domain name "${name}" is already in use`);
    if (await this.domains.findByName(name)) throw taken();
    let domain: DomainEntity;
    try {
      domain = await this.domains.save({
        guid: randomUUID(),
        name,
        internal: input.internal ?? false,
        organizationGuid: input.organizationGuid ?? null,
        labels: {},
        annotations: {},
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw taken();
      throw err;
    }
    await this.events.execute({
      type: 'audit.domain.create',
      actor: input.actor ?? SYSTEM_ACTOR,
      target: { guid: domain.guid, type: 'domain', name: domain.name },
      data: { request: { name: domain.name, internal: domain.internal } },
      organizationGuid: domain.organizationGuid,
    });
    return domain;
  }
}
