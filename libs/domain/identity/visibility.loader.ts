import { Injectable } from '@nestjs/common';
import { RoleRepository } from './role.repository';
import { SpaceRepository } from './space.repository';
import { PLATFORM_VISIBILITY, Visibility } from '@wharf/access';

const unique = (xs: Iterable<string>): string[] => [...new Set(xs)];

/** A user's Visibility from their roles (two indexed reads per authenticated request). */
@Injectable()
export class VisibilityLoader {
  constructor(
    private readonly roles: RoleRepository,
    private readonly spaces: SpaceRepository,
  ) {}

  async forUser(user: { guid: string; admin: boolean }): Promise<Visibility> {
    if (user.admin) return PLATFORM_VISIBILITY;
    const roles = await this.roles.forUser(user.guid);
    const spaceRoles = (type: string) =>
      roles.filter((r) => r.spaceGuid !== null && r.type === type).map((r) => r.spaceGuid ?? '');
    const managedOrgGuids = unique(
      roles.filter((r) => r.type === 'organization_manager').map((r) => r.organizationGuid),
    );
    const inManagedOrgs = await this.spaces.guidsInOrganizations(managedOrgGuids);
    return {
      all: false,
      orgGuids: unique(roles.map((r) => r.organizationGuid)),
      spaceGuids: unique([
        ...roles.flatMap((r) => (r.spaceGuid ? [r.spaceGuid] : [])),
        ...inManagedOrgs,
      ]),
      managedOrgGuids,
      managedSpaceGuids: unique(spaceRoles('space_manager')),
      developerSpaceGuids: unique(spaceRoles('space_developer')),
      auditedOrgGuids: unique(
        roles
          .filter((r) => r.type === 'organization_manager' || r.type === 'organization_auditor')
          .map((r) => r.organizationGuid),
      ),
    };
  }
}
