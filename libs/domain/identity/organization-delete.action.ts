import { Injectable } from '@nestjs/common';
import { notAuthorized, Principal, Visibility } from '@wharf/access';
import type { AuditActor } from '@wharf/events';
import { UserJobLauncher } from '@wharf/platform/queue';
import { notFound } from '@wharf/platform/errors';
import { IdentityAudit } from './identity-audit';
import { IdentityErrorCode, identityError } from './identity.errors';
import { OrganizationRepository } from './organization.repository';
import { SpaceRepository } from './space.repository';

/**
 * Accepts the deletion of an empty organization: records a job and hands the work to the worker.
 * An organization that still has spaces is refused at once, naming what is in the way.
 */
@Injectable()
export class OrganizationDeleteAction {
  constructor(
    private readonly orgs: OrganizationRepository,
    private readonly spaces: SpaceRepository,
    private readonly launcher: UserJobLauncher,
    private readonly audit: IdentityAudit,
  ) {}

  async execute(input: {
    scope: Visibility;
    principal: Principal;
    actor: AuditActor;
    guid: string;
  }): Promise<{ jobGuid: string }> {
    const org = await this.orgs.findVisible(input.scope, input.guid);
    if (!org) throw notFound('Organization');
    // Deleting a whole organization is the platform admin's, as in Cloud Foundry.
    if (!input.scope.all) throw notAuthorized();
    const spaceCount = await this.spaces.countInOrganization(org.guid);
    if (spaceCount > 0) {
      throw identityError(
        IdentityErrorCode.OrganizationNotEmpty,
        `Organization '${org.name}' still has ${spaceCount} space${spaceCount === 1 ? '' : 's'}. Delete ${spaceCount === 1 ? 'it' : 'them'} first.`,
      );
    }
    // The /v3/jobs row, its work and the request's event commit together.
    return this.launcher.launch(
      'organization.delete',
      {
        operation: 'organization.delete',
        resourceType: 'organization',
        resourceGuid: org.guid,
        userGuid: input.principal.userGuid,
      },
      { organizationGuid: org.guid },
      (tx) => this.audit.organization(input.actor, 'delete-request', org, {}, tx.manager),
    );
  }
}
