import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { mayManageOrganization, mayManageSpace, notAuthorized, Visibility } from '@wharf/access';
import type { AuditActor } from '@wharf/events';
import { isUniqueViolation } from '@wharf/platform/db';
import { JobBus } from '@wharf/platform/queue';
import { IdentityAudit } from './identity-audit';
import { IdentityErrorCode, identityError } from './identity.errors';
import { OrganizationRepository } from './organization.repository';
import { isOrganizationRoleType, isSpaceRoleType, RoleEntity, RoleType } from './role.entity';
import { RoleRepository } from './role.repository';
import { SpaceRepository } from './space.repository';
import { UserEntity } from './user.entity';
import { UserRepository } from './user.repository';

export interface RoleCreateInput {
  scope: Visibility;
  actor: AuditActor;
  type: RoleType;
  /** By guid, or by username (and origin) as `cf set-org-role` sends it. */
  user: { guid?: string; username?: string; origin?: string };
  organizationGuid?: string;
  spaceGuid?: string;
}

const invalid = (detail: string) => identityError(IdentityErrorCode.InvalidRelationship, detail);

/**
 * POST /v3/roles. Organization managers give roles in their organization and its spaces, space
 * managers in their space; a space role needs a role in the space's organization first.
 */
@Injectable()
export class RoleCreateAction {
  constructor(
    private readonly roles: RoleRepository,
    private readonly users: UserRepository,
    private readonly orgs: OrganizationRepository,
    private readonly spaces: SpaceRepository,
    private readonly audit: IdentityAudit,
    private readonly jobs: JobBus,
  ) {}

  async execute(input: RoleCreateInput): Promise<RoleEntity> {
    const user = await this.findUser(input.user);
    if (isOrganizationRoleType(input.type)) {
      if (!input.organizationGuid || input.spaceGuid)
        throw invalid(`Role '${input.type}' needs an organization relationship, not a space.`);
      const org = await this.orgs.findVisible(input.scope, input.organizationGuid);
      if (!org)
        throw invalid(
          'Invalid organization. Ensure that the organization exists and you have access to it.',
        );
      if (!mayManageOrganization(input.scope, org.guid)) throw notAuthorized();
      const taken = () =>
        identityError(
          IdentityErrorCode.RoleTaken,
          `User '${user.username}' already has '${input.type}' role in organization '${org.name}'.`,
        );
      if (await this.roles.findOrganizationRole(user.guid, input.type, org.guid)) throw taken();
      return this.save(
        input.actor,
        user,
        { type: input.type, userGuid: user.guid, organizationGuid: org.guid },
        taken,
      );
    }
    if (!isSpaceRoleType(input.type)) throw invalid(`Unknown role type '${String(input.type)}'.`);
    if (!input.spaceGuid || input.organizationGuid)
      throw invalid(`Role '${input.type}' needs a space relationship, not an organization.`);
    const space = await this.spaces.findVisible(input.scope, input.spaceGuid);
    if (!space)
      throw invalid('Invalid space. Ensure that the space exists and you have access to it.');
    if (!mayManageSpace(input.scope, space)) throw notAuthorized();
    if (!(await this.roles.hasOrganizationRole(user.guid, space.organizationGuid))) {
      throw invalid(
        "Users cannot be assigned roles in a space if they do not have a role in that space's organization.",
      );
    }
    const taken = () =>
      identityError(
        IdentityErrorCode.RoleTaken,
        `User '${user.username}' already has '${input.type}' role in space '${space.name}'.`,
      );
    if (await this.roles.findSpaceRole(user.guid, input.type, space.guid)) throw taken();
    return this.save(
      input.actor,
      user,
      {
        type: input.type,
        userGuid: user.guid,
        organizationGuid: space.organizationGuid,
        spaceGuid: space.guid,
      },
      taken,
    );
  }

  private async findUser(ref: RoleCreateInput['user']): Promise<UserEntity> {
    const user = ref.guid
      ? await this.users.findByGuid(ref.guid)
      : ref.username
        ? await this.users.findByUsername(ref.username)
        : null;
    if (!user || (ref.origin !== undefined && ref.origin !== user.origin)) {
      throw invalid(
        ref.username && !ref.guid
          ? `No user exists with the username '${ref.username}' and origin '${ref.origin ?? 'uaa'}'.`
          : 'Invalid user. Ensure that the user exists and you have access to it.',
      );
    }
    return user;
  }

  private async save(
    actor: AuditActor,
    user: UserEntity,
    fields: Partial<RoleEntity>,
    taken: () => Error,
  ): Promise<RoleEntity> {
    try {
      // The role and its event commit together.
      return await this.jobs.transaction(async (tx) => {
        const role = await this.roles.save(
          this.roles.create({ guid: randomUUID(), ...fields }),
          tx.manager,
        );
        await this.audit.role(actor, 'add', role, user.username, tx.manager);
        return role;
      });
    } catch (err) {
      // Two concurrent grants: the unique index decides, the loser gets the same answer.
      if (isUniqueViolation(err)) throw taken();
      throw err;
    }
  }
}
