import { Injectable } from '@nestjs/common';
import {
  mayManageOrganization,
  mayManageSpace,
  notAuthorized,
  Principal,
  Visibility,
} from '@wharf/access';
import type { AuditActor } from '@wharf/events';
import { notFound } from '@wharf/platform/errors';
import { UserJobLauncher } from '@wharf/platform/queue';
import { IdentityAudit } from './identity-audit';
import { IdentityErrorCode, identityError } from './identity.errors';
import { RoleEntity } from './role.entity';
import { RoleRepository } from './role.repository';
import { SpaceRepository } from './space.repository';
import { UserRepository } from './user.repository';

/** DELETE /v3/roles/:guid, accepted as a job as in Cloud Foundry. */
@Injectable()
export class RoleDeleteAction {
  constructor(
    private readonly roles: RoleRepository,
    private readonly spaces: SpaceRepository,
    private readonly launcher: UserJobLauncher,
    private readonly users: UserRepository,
    private readonly audit: IdentityAudit,
  ) {}

  async execute(input: {
    scope: Visibility;
    principal: Principal;
    actor: AuditActor;
    guid: string;
  }): Promise<{ role: RoleEntity; jobGuid: string }> {
    const role = await this.roles.findVisible(input.scope, input.guid);
    if (!role) throw notFound('Role');
    const space = role.spaceGuid ? await this.spaces.findByGuidUnscoped(role.spaceGuid) : null;
    const allowed = space
      ? mayManageSpace(input.scope, space)
      : mayManageOrganization(input.scope, role.organizationGuid);
    if (!allowed) throw notAuthorized();
    if (
      role.type === 'organization_user' &&
      (await this.roles.countSpaceRolesInOrganization(role.userGuid, role.organizationGuid)) > 0
    ) {
      throw identityError(
        IdentityErrorCode.RoleInUse,
        'Cannot remove the organization_user role while the user has roles in spaces of that organization. Remove those first.',
      );
    }
    const user = await this.users.findByGuid(role.userGuid);
    // The /v3/jobs row, its work and the request's event commit together.
    const { jobGuid } = await this.launcher.launch(
      'role.delete',
      {
        operation: 'role.delete',
        resourceType: 'role',
        resourceGuid: role.guid,
        userGuid: input.principal.userGuid,
      },
      { roleGuid: role.guid },
      (tx) =>
        this.audit.role(input.actor, 'remove', role, user?.username ?? role.userGuid, tx.manager),
    );
    return { role, jobGuid };
  }
}
