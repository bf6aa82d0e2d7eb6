import { Injectable } from '@nestjs/common';
import { mayManageOrganization, notAuthorized, Principal, Visibility } from '@wharf/access';
import type { AuditActor } from '@wharf/events';
import { notFound } from '@wharf/platform/errors';
import { UserJobLauncher } from '@wharf/platform/queue';
import { IdentityAudit } from './identity-audit';
import { IdentityErrorCode, identityError } from './identity.errors';
import { SpaceContentsRegistry } from './space-contents.port';
import { SpaceRepository } from './space.repository';

/** Accepts the deletion of an empty space (job + worker); a space with contents is refused. */
@Injectable()
export class SpaceDeleteAction {
  constructor(
    private readonly spaces: SpaceRepository,
    private readonly launcher: UserJobLauncher,
    private readonly contents: SpaceContentsRegistry,
    private readonly audit: IdentityAudit,
  ) {}

  async execute(input: {
    scope: Visibility;
    principal: Principal;
    actor: AuditActor;
    guid: string;
  }): Promise<{ jobGuid: string }> {
    const space = await this.spaces.findVisible(input.scope, input.guid);
    if (!space) throw notFound('Space');
    if (!mayManageOrganization(input.scope, space.organizationGuid)) throw notAuthorized();
    const contents = await this.contents.describe(space.guid);
    if (contents) {
      throw identityError(
        IdentityErrorCode.SpaceNotEmpty,
        `Space '${space.name}' still contains ${contents}. Delete them first.`,
      );
    }
    // The /v3/jobs row, its work and the request's event commit together.
    return this.launcher.launch(
      'space.delete',
      {
        operation: 'space.delete',
        resourceType: 'space',
        resourceGuid: space.guid,
        userGuid: input.principal.userGuid,
      },
      { organizationGuid: space.organizationGuid, spaceGuid: space.guid },
      (tx) => this.audit.space(input.actor, 'delete-request', space, {}, tx.manager),
    );
  }
}
