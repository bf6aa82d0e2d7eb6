import { Injectable } from '@nestjs/common';
import { OrganizationCreateAction } from './organization-create.action';
import { OrganizationRepository } from './organization.repository';
import { PasswordHasher } from './password-hasher';
import { SpaceCreateAction } from './space-create.action';
import { SpaceRepository } from './space.repository';
import { UserCreateAction } from './user-create.action';
import { UserRepository } from './user.repository';
import { PLATFORM_VISIBILITY } from '@wharf/access';

export interface PlatformBootstrapInput {
  adminUsername: string;
  adminPassword: string;
  organizationName: string;
  spaceName: string;
}

export interface PlatformBootstrapResult {
  created: string[];
}

/**
 * Idempotent first-run setup used by `npm run up`: the admin user, the default org and space.
 * Running it again changes nothing except re-asserting the admin's password from the state dir.
 */
@Injectable()
export class PlatformBootstrapAction {
  constructor(
    private readonly users: UserRepository,
    private readonly orgs: OrganizationRepository,
    private readonly spaces: SpaceRepository,
    private readonly hasher: PasswordHasher,
    private readonly createUser: UserCreateAction,
    private readonly createOrg: OrganizationCreateAction,
    private readonly createSpace: SpaceCreateAction,
  ) {}

  async execute(input: PlatformBootstrapInput): Promise<PlatformBootstrapResult> {
    const created: string[] = [];
    const user = await this.users.findByUsername(input.adminUsername);
    if (!user) {
      await this.createUser.execute({
        username: input.adminUsername,
        password: input.adminPassword,
        admin: true,
        actor: null,
      });
      created.push(`user ${input.adminUsername}`);
    } else if (!(await this.hasher.verify(input.adminPassword, user.passwordHash)) || !user.admin) {
      user.admin = true;
      await this.users.save(user);
      // Sessions opened with the old password end, as after any password change.
      await this.users.changePassword(user.guid, await this.hasher.hash(input.adminPassword));
      created.push(`password of ${input.adminUsername} reset from the state directory`);
    }
    let org = await this.orgs.findByNameUnscoped(input.organizationName);
    if (!org) {
      org = await this.createOrg.execute({
        scope: PLATFORM_VISIBILITY,
        actor: null,
        name: input.organizationName,
      });
      created.push(`org ${org.name}`);
    }
    if (!(await this.spaces.findByNameInOrganization(org.guid, input.spaceName))) {
      await this.createSpace.execute({
        scope: PLATFORM_VISIBILITY,
        actor: null,
        name: input.spaceName,
        organizationGuid: org.guid,
      });
      created.push(`space ${input.spaceName}`);
    }
    return { created };
  }
}
