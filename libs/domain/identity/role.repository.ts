import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, FindOptionsWhere, In, IsNull, Not, Repository } from 'typeorm';
import { findPage, Page, PageRequest } from '@wharf/platform/db';
import { RoleEntity, RoleType } from './role.entity';
import type { Visibility } from '@wharf/access';

export interface RoleFilter {
  guids?: string[];
  types?: string[];
  userGuids?: string[];
  organizationGuids?: string[];
  spaceGuids?: string[];
}

@Injectable()
export class RoleRepository {
  constructor(@InjectRepository(RoleEntity) private readonly repo: Repository<RoleEntity>) {}

  /** Every role of one user: what their Visibility is computed from. */
  forUser(userGuid: string): Promise<RoleEntity[]> {
    return this.repo.findBy({ userGuid });
  }

  /**
   * Organization roles are seen by whoever sees the organization, space roles by whoever sees the
   * space's contents.
   */
  listPage(scope: Visibility, filter: RoleFilter, page: PageRequest): Promise<Page<RoleEntity>> {
    return findPage(this.repo, this.where(scope, filter), page);
  }

  async findVisible(scope: Visibility, guid: string): Promise<RoleEntity | null> {
    const where = this.where(scope, { guids: [guid] });
    return where.length ? this.repo.findOne({ where }) : null;
  }

  findOrganizationRole(
    userGuid: string,
    type: RoleType,
    organizationGuid: string,
  ): Promise<RoleEntity | null> {
    return this.repo.findOneBy({ userGuid, type, organizationGuid, spaceGuid: IsNull() });
  }

  findSpaceRole(userGuid: string, type: RoleType, spaceGuid: string): Promise<RoleEntity | null> {
    return this.repo.findOneBy({ userGuid, type, spaceGuid });
  }

  /** Space roles a user holds in an organization's spaces. */
  countSpaceRolesInOrganization(userGuid: string, organizationGuid: string): Promise<number> {
    return this.repo.countBy({ userGuid, organizationGuid, spaceGuid: Not(IsNull()) });
  }

  /** Whether a user holds any organization role there (a space role needs one). */
  async hasOrganizationRole(userGuid: string, organizationGuid: string): Promise<boolean> {
    return (await this.repo.countBy({ userGuid, organizationGuid, spaceGuid: IsNull() })) > 0;
  }

  /** Users with any role in these organizations (who a member of them may list). */
  async userGuidsInOrganizations(organizationGuids: string[]): Promise<string[]> {
    if (organizationGuids.length === 0) return [];
    const rows = await this.repo
      .createQueryBuilder('r')
      .select('DISTINCT r.user_guid', 'user_guid')
      .where('r.organization_guid IN (:...orgs)', { orgs: organizationGuids })
      .getRawMany<{ user_guid: string }>();
    return rows.map((r) => r.user_guid);
  }

  create(fields: Partial<RoleEntity>): RoleEntity {
    return this.repo.create(fields);
  }

  /** With `manager`, in that transaction. */
  save(role: RoleEntity, manager?: EntityManager): Promise<RoleEntity> {
    return this.on(manager).save(role);
  }

  async delete(guid: string): Promise<void> {
    await this.repo.delete({ guid });
  }

  private where(scope: Visibility, filter: RoleFilter): FindOptionsWhere<RoleEntity>[] {
    const base: FindOptionsWhere<RoleEntity> = {};
    if (filter.guids) base.guid = In(filter.guids);
    if (filter.types) base.type = In(filter.types);
    if (filter.userGuids) base.userGuid = In(filter.userGuids);
    if (filter.organizationGuids) base.organizationGuid = In(filter.organizationGuids);
    if (filter.spaceGuids) base.spaceGuid = In(filter.spaceGuids);
    if (scope.all) return [base];
    const ors: FindOptionsWhere<RoleEntity>[] = [];
    const orgs = filter.organizationGuids
      ? scope.orgGuids.filter((g) => filter.organizationGuids?.includes(g))
      : scope.orgGuids;
    if (orgs.length && !filter.spaceGuids) {
      ors.push({ ...base, spaceGuid: IsNull(), organizationGuid: In(orgs) });
    }
    if (scope.spaceGuids.length) {
      const spaces = filter.spaceGuids
        ? scope.spaceGuids.filter((g) => filter.spaceGuids?.includes(g))
        : scope.spaceGuids;
      if (spaces.length) ors.push({ ...base, spaceGuid: In(spaces) });
    }
    return ors;
  }

  private on(manager?: EntityManager): Repository<RoleEntity> {
    return manager?.getRepository(RoleEntity) ?? this.repo;
  }
}
