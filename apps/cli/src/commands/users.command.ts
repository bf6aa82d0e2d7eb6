import type { Command } from 'commander';
import type { RoleResource, UserResource } from '@wharf/contracts';
import type { CliContext } from '../cli.context';
import { ApiError } from '../errors/api.error';
import { CliError } from '../errors/cli.error';
import type { ApiClient } from '../http/api.client';
import { findOrg, findSpace } from '../http/identity.queries';
import { isRecord, parseJson } from '../http/json';

/** cf's role names on the command line ↔ the API's role types, in the order cf lists them. */
const ORG_ROLES = {
  OrgManager: { type: 'organization_manager', heading: 'ORG MANAGER', none: 'org manager' },
  OrgAuditor: { type: 'organization_auditor', heading: 'ORG AUDITOR', none: 'org auditor' },
} as const;
const SPACE_ROLES = {
  SpaceManager: { type: 'space_manager', heading: 'SPACE MANAGER', none: 'space manager' },
  SpaceDeveloper: { type: 'space_developer', heading: 'SPACE DEVELOPER', none: 'space developer' },
  SpaceAuditor: { type: 'space_auditor', heading: 'SPACE AUDITOR', none: 'space auditor' },
} as const;
type OrgRoleName = keyof typeof ORG_ROLES;
type SpaceRoleName = keyof typeof SPACE_ROLES;

function orgRole(name: string): (typeof ORG_ROLES)[OrgRoleName] {
  const role = (ORG_ROLES as Record<string, (typeof ORG_ROLES)[OrgRoleName]>)[name];
  if (!role)
    throw new CliError(`Incorrect Usage: ROLE must be one of ${Object.keys(ORG_ROLES).join(', ')}`);
  return role;
}

function spaceRole(name: string): (typeof SPACE_ROLES)[SpaceRoleName] {
  const role = (SPACE_ROLES as Record<string, (typeof SPACE_ROLES)[SpaceRoleName]>)[name];
  if (!role)
    throw new CliError(
      `Incorrect Usage: ROLE must be one of ${Object.keys(SPACE_ROLES).join(', ')}`,
    );
  return role;
}

interface ForceOption {
  force?: boolean;
}
interface AllOption {
  allUsers?: boolean;
}

/**
 * Users and roles as cf has them: `create-user`, `delete-user`, `set-org-role`, `set-space-role`,
 * `unset-org-role`, `unset-space-role`, `org-users`, `space-users`.
 */
export class UsersCommand {
  constructor(private readonly ctx: CliContext) {}

  register(program: Command): void {
    program
      .command('create-user')
      .description('Create a new user')
      .argument('<username>', 'Username')
      .argument('<password>', 'Password')
      .action((username: string, password: string) => this.createUser(username, password));
    program
      .command('delete-user')
      .description('Delete a user')
      .argument('<username>', 'Username')
      .option('-f, --force', 'Prompt interactively for password')
      .action((username: string, options: ForceOption) => this.deleteUser(username, options));
    program
      .command('set-org-role')
      .description('Assign an org role to a user')
      .argument('<username>', 'Username')
      .argument('<org>', 'Org name')
      .argument('<role>', `Role: ${Object.keys(ORG_ROLES).join(', ')}`)
      .action((u: string, o: string, r: string) => this.setOrgRole(u, o, r));
    program
      .command('unset-org-role')
      .description('Remove an org role from a user')
      .argument('<username>', 'Username')
      .argument('<org>', 'Org name')
      .argument('<role>', `Role: ${Object.keys(ORG_ROLES).join(', ')}`)
      .action((u: string, o: string, r: string) => this.unsetOrgRole(u, o, r));
    program
      .command('set-space-role')
      .description('Assign a space role to a user')
      .argument('<username>', 'Username')
      .argument('<org>', 'Org name')
      .argument('<space>', 'Space name')
      .argument('<role>', `Role: ${Object.keys(SPACE_ROLES).join(', ')}`)
      .action((u: string, o: string, s: string, r: string) => this.setSpaceRole(u, o, s, r));
    program
      .command('unset-space-role')
      .description('Remove a space role from a user')
      .argument('<username>', 'Username')
      .argument('<org>', 'Org name')
      .argument('<space>', 'Space name')
      .argument('<role>', `Role: ${Object.keys(SPACE_ROLES).join(', ')}`)
      .action((u: string, o: string, s: string, r: string) => this.unsetSpaceRole(u, o, s, r));
    program
      .command('org-users')
      .description('Show org users by role')
      .argument('<org>', 'Org name')
      .option('-a, --all-users', 'List all users in the org, including those with no role')
      .action((org: string, options: AllOption) => this.orgUsers(org, options));
    program
      .command('space-users')
      .description('Show space users by role')
      .argument('<org>', 'Org name')
      .argument('<space>', 'Space name')
      .action((org: string, space: string) => this.spaceUsers(org, space));
  }

  async createUser(username: string, password: string): Promise<void> {
    const config = await this.ctx.loggedIn();
    const { ui } = this.ctx;
    const client = this.ctx.apiClient(config.target);
    ui.say(`Creating user ${username}...`);
    const res = await client.raw('POST', '/Users', {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ userName: username, password }),
    });
    const body = parseJson(res.body);
    if (res.status === 409) {
      ui.warn(`User '${username}' already exists.`);
      ui.ok();
      return;
    }
    if (res.status !== 201 || !isRecord(body) || typeof body.id !== 'string') {
      throw new CliError(uaaMessage(res.status, body));
    }
    await client.post('/v3/users', { guid: body.id });
    ui.ok();
    ui.say();
    ui.say("TIP: Assign roles with 'wharf set-org-role' and 'wharf set-space-role'.");
  }

  async deleteUser(username: string, options: ForceOption): Promise<void> {
    const config = await this.ctx.loggedIn();
    const { ui } = this.ctx;
    if (
      !(await this.ctx.confirmOrForce(
        `Really delete the user ${username}?`,
        options.force === true,
      ))
    ) {
      ui.say('Delete cancelled');
      return;
    }
    ui.say(`Deleting user ${username} as ${config.user}...`);
    const client = this.ctx.apiClient(config.target);
    const user = await findUser(client, username);
    if (!user) {
      ui.warn(`User '${username}' does not exist.`);
      ui.ok();
      return;
    }
    await client.deleteAndWait(`/v3/users/${user.guid}`);
    ui.ok();
  }

  async setOrgRole(username: string, orgName: string, roleName: string): Promise<void> {
    const role = orgRole(roleName);
    const config = await this.ctx.loggedIn();
    const client = this.ctx.apiClient(config.target);
    this.ctx.ui.say(
      `Assigning role ${roleName} to user ${username} in org ${orgName} as ${config.user}...`,
    );
    const org = await this.org(client, orgName);
    await this.give(client, role.type, username, { organization: { data: { guid: org.guid } } });
    this.ctx.ui.ok();
  }

  async setSpaceRole(
    username: string,
    orgName: string,
    spaceName: string,
    roleName: string,
  ): Promise<void> {
    const role = spaceRole(roleName);
    const config = await this.ctx.loggedIn();
    const client = this.ctx.apiClient(config.target);
    this.ctx.ui.say(
      `Assigning role ${roleName} to user ${username} in org ${orgName} / space ${spaceName} as ${config.user}...`,
    );
    const org = await this.org(client, orgName);
    const space = await this.space(client, org.guid, orgName, spaceName);
    // A space role needs a role in the org: cf gives the user the org's user role first.
    await this.give(
      client,
      'organization_user',
      username,
      { organization: { data: { guid: org.guid } } },
      true,
    );
    await this.give(client, role.type, username, { space: { data: { guid: space.guid } } });
    this.ctx.ui.ok();
  }

  async unsetOrgRole(username: string, orgName: string, roleName: string): Promise<void> {
    const role = orgRole(roleName);
    const config = await this.ctx.loggedIn();
    const client = this.ctx.apiClient(config.target);
    this.ctx.ui.say(
      `Removing role ${roleName} from user ${username} in org ${orgName} as ${config.user}...`,
    );
    const org = await this.org(client, orgName);
    await this.take(client, username, role.type, { organization_guids: org.guid });
    this.ctx.ui.ok();
  }

  async unsetSpaceRole(
    username: string,
    orgName: string,
    spaceName: string,
    roleName: string,
  ): Promise<void> {
    const role = spaceRole(roleName);
    const config = await this.ctx.loggedIn();
    const client = this.ctx.apiClient(config.target);
    this.ctx.ui.say(
      `Removing role ${roleName} from user ${username} in org ${orgName} / space ${spaceName} as ${config.user}...`,
    );
    const org = await this.org(client, orgName);
    const space = await this.space(client, org.guid, orgName, spaceName);
    await this.take(client, username, role.type, { space_guids: space.guid });
    this.ctx.ui.ok();
  }

  async orgUsers(orgName: string, options: AllOption): Promise<void> {
    const config = await this.ctx.loggedIn();
    const client = this.ctx.apiClient(config.target);
    this.ctx.ui.say(`Getting users in org ${orgName} as ${config.user}...`);
    const org = await this.org(client, orgName);
    const roles = await rolesWithUsers(client, { organization_guids: org.guid });
    const sections = options.allUsers
      ? [{ type: 'organization_user', heading: 'USERS', none: 'user' }]
      : [ORG_ROLES.OrgManager, ORG_ROLES.OrgAuditor];
    this.print(roles, sections);
  }

  async spaceUsers(orgName: string, spaceName: string): Promise<void> {
    const config = await this.ctx.loggedIn();
    const client = this.ctx.apiClient(config.target);
    this.ctx.ui.say(`Getting users in org ${orgName} / space ${spaceName} as ${config.user}...`);
    const org = await this.org(client, orgName);
    const space = await this.space(client, org.guid, orgName, spaceName);
    const roles = await rolesWithUsers(client, { space_guids: space.guid });
    this.print(roles, [
      SPACE_ROLES.SpaceManager,
      SPACE_ROLES.SpaceDeveloper,
      SPACE_ROLES.SpaceAuditor,
    ]);
  }

  private print(
    roles: { type: string; username: string; origin: string }[],
    sections: readonly { type: string; heading: string; none: string }[],
  ): void {
    const { ui } = this.ctx;
    for (const section of sections) {
      ui.say();
      ui.say(section.heading);
      const names = roles
        .filter((r) => r.type === section.type)
        .map((r) => `${r.username} (${r.origin})`)
        .sort();
      if (names.length === 0) ui.say(`  No ${section.none} found`);
      for (const name of names) ui.say(`  ${name}`);
    }
  }

  /** POST /v3/roles by username; a role the user already has is not an error (cf's way). */
  private async give(
    client: ApiClient,
    type: string,
    username: string,
    target: Record<string, { data: { guid: string } }>,
    quiet = false,
  ): Promise<void> {
    try {
      await client.post('/v3/roles', {
        type,
        relationships: { user: { data: { username, origin: 'uaa' } }, ...target },
      });
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 422 && /already has/.test(err.message)))
        throw err;
      if (!quiet) this.ctx.ui.warn(err.message);
    }
  }

  private async take(
    client: ApiClient,
    username: string,
    type: string,
    where: Record<string, string>,
  ): Promise<void> {
    const roles = await rolesWithUsers(client, { ...where, types: type });
    const role = roles.find((r) => r.username === username);
    if (!role) {
      if (!(await findUser(client, username)))
        throw new CliError(`User '${username}' does not exist.`);
      return;
    }
    await client.deleteAndWait(`/v3/roles/${role.guid}`);
  }

  private async org(client: ApiClient, name: string): Promise<{ guid: string }> {
    const org = await findOrg(client, name);
    if (!org) throw new CliError(`Organization '${name}' not found.`);
    return org;
  }

  private async space(
    client: ApiClient,
    orgGuid: string,
    orgName: string,
    name: string,
  ): Promise<{ guid: string }> {
    const space = await findSpace(client, orgGuid, name);
    if (!space) throw new CliError(`Space '${name}' not found in org '${orgName}'.`);
    return space;
  }
}

async function findUser(client: ApiClient, username: string): Promise<UserResource | undefined> {
  const users = await client.listAll<UserResource>('/v3/users', { usernames: username });
  return users.find((u) => u.username === username);
}

/** Roles with their users' names (`include=user`), page by page. */
async function rolesWithUsers(
  client: ApiClient,
  where: Record<string, string>,
): Promise<{ guid: string; type: string; username: string; origin: string }[]> {
  const out: { guid: string; type: string; username: string; origin: string }[] = [];
  for (let page = 1; ; page++) {
    const body = await client.get<{
      resources: RoleResource[];
      included?: { users?: UserResource[] };
      pagination: { next: unknown };
    }>('/v3/roles', { ...where, include: 'user', per_page: '5000', page: String(page) });
    const users = new Map((body.included?.users ?? []).map((u) => [u.guid, u]));
    for (const r of body.resources) {
      const user = users.get(r.relationships.user.data?.guid ?? '');
      if (user)
        out.push({ guid: r.guid, type: r.type, username: user.username, origin: user.origin });
    }
    if (!body.pagination.next) return out;
  }
}

function uaaMessage(status: number, body: unknown): string {
  if (isRecord(body)) {
    if (typeof body.error_description === 'string') return body.error_description;
    if (typeof body.message === 'string') return body.message;
    const errors = body.errors;
    if (Array.isArray(errors) && isRecord(errors[0]) && typeof errors[0].detail === 'string')
      return errors[0].detail;
  }
  return `The server answered HTTP ${status}.`;
}
