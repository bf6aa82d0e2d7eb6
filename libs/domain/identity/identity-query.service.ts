import { Injectable } from '@nestjs/common';
import { notFound } from '@wharf/platform/errors';
import type { Page, PageRequest } from '@wharf/platform/db';
import { OrganizationEntity } from './organization.entity';
import { OrganizationFilter, OrganizationRepository } from './organization.repository';
import { SpaceEntity } from './space.entity';
import { SpaceFilter, SpaceRepository } from './space.repository';
import type { Visibility } from './visibility';

/** Reads of organizations and spaces, always within what the caller may see. */
@Injectable()
export class IdentityQueryService {
  constructor(
    private readonly orgs: OrganizationRepository,
    private readonly spaces: SpaceRepository,
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

  /** The spaces whose contents (apps, routes, services) the caller may see. */
  async visibleSpaceGuids(scope: Visibility): Promise<'all' | string[]> {
    if (scope.all) return 'all';
    const inOrgs = await this.spaces.guidsInOrganizations(scope.orgGuids);
    return [...new Set([...scope.spaceGuids, ...inOrgs])];
  }

  async getSpace(scope: Visibility, guid: string): Promise<SpaceEntity> {
    const space = await this.spaces.findVisible(scope, guid);
    if (!space) throw notFound('Space');
    return space;
  }
}
