import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { notFound } from '@wharf/platform/errors';
import type { Page, PageRequest } from '@wharf/platform/db';
import { OrganizationEntity } from './organization.entity';
import { OrganizationFilter, OrganizationRepository } from './organization.repository';
import { SpaceEntity } from './space.entity';
import { SpaceFilter, SpaceRepository } from './space.repository';
import { RoleEntity } from './role.entity';
import { RoleFilter, RoleRepository } from './role.repository';
import { UserEntity } from './user.entity';
import { UserRepository } from './user.repository';
import { Principal, Visibility, visibleSpaceGuids } from '@wharf/access';

/** Reads of organizations and spaces, always within what the caller may see. */
@Injectable()
export class IdentityQueryService {
  constructor(
    private readonly orgs: OrganizationRepository,
    private readonly spaces: SpaceRepository,
    private readonly roles: RoleRepository,
    private readonly users: UserRepository,
  ) {}

  listOrganizations(
    scope: Visibility,
    filter: OrganizationFilter,
    page: PageRequest,
  ): Promise<Page<OrganizationEntity>> {
    return this.orgs.listPage(scope, filter, page);
  }

  async getOrganization(scope: Visibility, guid: string): Promise<OrganizationEntity> {
    const org = await this.orgs.findVisible(scope, guid);
    if (!org) throw notFound('Organization');
    return org;
  }

  listSpaces(
    scope: Visibility,
    filter: SpaceFilter,
    page: PageRequest,
  ): Promise<Page<SpaceEntity>> {
    return this.spaces.listPage(scope, filter, page);
  }

  /** The organization a space the caller can already see belongs to. */
  async getOrganizationOfSpace(space: SpaceEntity): Promise<OrganizationEntity> {
    const org = await this.orgs.findByGuidUnscoped(space.organizationGuid);
    if (!org) throw notFound('Organization');
    return org;
  }

  /** The organization of a space, by guid (for work already authorized on that space). */
  async organizationGuidOfSpace(spaceGuid: string, manager?: EntityManager): Promise<string> {
    const space = await this.spaces.findByGuidUnscoped(spaceGuid, manager);
    if (!space) throw notFound('Space');
    return space.organizationGuid;
  }

  /**
   * The organizations where the caller may push (a space developer role there, or every one for
   * admins), at most `limit + 1` of them so a caller can tell when there are more than `limit`.
   */
  async pushOrganizationGuids(scope: Visibility, limit: number): Promise<string[]> {
    if (scope.all) return this.orgs.guidsUnscoped(limit + 1);
    return (await this.spaces.organizationGuidsOf(scope.developerSpaceGuids)).slice(0, limit + 1);
  }

  /** The spaces whose contents (apps, routes, services) the caller may see. */
  visibleSpaceGuids(scope: Visibility): Promise<'all' | string[]> {
    return Promise.resolve(visibleSpaceGuids(scope));
  }

  listRoles(scope: Visibility, filter: RoleFilter, page: PageRequest): Promise<Page<RoleEntity>> {
    return this.roles.listPage(scope, filter, page);
  }

  async getRole(scope: Visibility, guid: string): Promise<RoleEntity> {
    const role = await this.roles.findVisible(scope, guid);
    if (!role) throw notFound('Role');
    return role;
  }

  /**
   * Admins see every user; anyone else sees themselves and the users holding a role in an
   * organization they can see (whom they might give a role to).
   */
  async listUsers(
    caller: Principal,
    filter: { guids?: string[]; usernames?: string[]; origins?: string[] },
    page: PageRequest,
  ): Promise<Page<UserEntity>> {
    return this.users.listPage(await this.visibleUserGuids(caller), filter, page);
  }

  async getUser(caller: Principal, guid: string): Promise<UserEntity> {
    const visible = await this.visibleUserGuids(caller);
    const user =
      visible === 'all' || visible.includes(guid) ? await this.users.findByGuid(guid) : null;
    if (!user) throw notFound('User');
    return user;
  }

  /** A user the caller may see, by name and origin. */
  async findUserByName(
    caller: Principal,
    username: string,
    origin = 'uaa',
  ): Promise<UserEntity | null> {
    const user = await this.users.findByUsername(username);
    if (!user || user.origin !== origin) return null;
    const visible = await this.visibleUserGuids(caller);
    return visible === 'all' || visible.includes(user.guid) ? user : null;
  }

  /** For `include=user` on roles the caller can already see. */
  usersByGuids(guids: string[]): Promise<UserEntity[]> {
    return this.users.findByGuids(guids);
  }

  private async visibleUserGuids(caller: Principal): Promise<string[] | 'all'> {
    if (caller.visibility.all) return 'all';
    const members = await this.roles.userGuidsInOrganizations(caller.visibility.orgGuids);
    return [...new Set([caller.userGuid, ...members])];
  }

  async getSpace(scope: Visibility, guid: string): Promise<SpaceEntity> {
    const space = await this.spaces.findVisible(scope, guid);
    if (!space) throw notFound('Space');
    return space;
  }
}
