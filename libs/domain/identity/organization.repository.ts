import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, FindOptionsWhere, In, Repository } from 'typeorm';
import { findPage, Page, PageRequest } from '@wharf/platform/db';
import { OrganizationEntity } from './organization.entity';
import type { Visibility } from '@wharf/access';

export interface OrganizationFilter {
  names?: string[];
  guids?: string[];
}

@Injectable()
export class OrganizationRepository {
  constructor(
    @InjectRepository(OrganizationEntity) private readonly repo: Repository<OrganizationEntity>,
  ) {}

  listPage(
    scope: Visibility,
    filter: OrganizationFilter,
    page: PageRequest,
  ): Promise<Page<OrganizationEntity>> {
    return findPage(this.repo, this.where(scope, filter), page);
  }

  async findVisible(scope: Visibility, guid: string): Promise<OrganizationEntity | null> {
    const [where] = this.where(scope, { guids: [guid] });
    return where ? this.repo.findOneBy(where) : null;
  }

  /** Unscoped: used for uniqueness checks and by platform bootstrap. */
  findByNameUnscoped(name: string): Promise<OrganizationEntity | null> {
    return this.repo.findOneBy({ name });
  }

  /** Unscoped: used by the worker, which acts for a request already authorized by the API. */
  findByGuidUnscoped(guid: string): Promise<OrganizationEntity | null> {
    return this.repo.findOneBy({ guid });
  }

  /** Unscoped: the guids of at most `limit` organizations (for admins, who may push anywhere). */
  async guidsUnscoped(limit: number): Promise<string[]> {
    const rows = await this.repo.find({
      select: { guid: true },
      order: { guid: 'ASC' },
      take: limit,
    });
    return rows.map((r) => r.guid);
  }

  create(fields: Partial<OrganizationEntity>): OrganizationEntity {
    return this.repo.create(fields);
  }

  /** With `manager`, in that transaction. */
  save(org: OrganizationEntity, manager?: EntityManager): Promise<OrganizationEntity> {
    return this.on(manager).save(org);
  }

  /** Guids of the organizations using a quota, among those given (or all). */
  async guidsUsingQuota(quotaGuid: string, among: string[] | 'all'): Promise<string[]> {
    if (among !== 'all' && among.length === 0) return [];
    const rows = await this.repo.find({
      select: { guid: true },
      where: { quotaGuid, ...(among === 'all' ? {} : { guid: In(among) }) },
      order: { name: 'ASC' },
    });
    return rows.map((r) => r.guid);
  }

  /** The quotas used by the given organizations. */
  async quotaGuidsOf(organizationGuids: string[]): Promise<string[]> {
    if (organizationGuids.length === 0) return [];
    const rows = await this.repo.find({
      select: { quotaGuid: true },
      where: { guid: In(organizationGuids) },
    });
    return [...new Set(rows.map((r) => r.quotaGuid))];
  }

  countUsingQuota(quotaGuid: string): Promise<number> {
    return this.repo.countBy({ quotaGuid });
  }

  /** With `manager`, in that transaction. */
  async setQuota(
    organizationGuids: string[],
    quotaGuid: string,
    manager?: EntityManager,
  ): Promise<void> {
    if (organizationGuids.length === 0) return;
    await this.on(manager).update({ guid: In(organizationGuids) }, { quotaGuid });
  }

  async delete(guid: string): Promise<void> {
    await this.repo.delete({ guid });
  }

  private where(
    scope: Visibility,
    filter: OrganizationFilter,
  ): FindOptionsWhere<OrganizationEntity>[] {
    const base: FindOptionsWhere<OrganizationEntity> = {};
    if (filter.names) base.name = In(filter.names);
    if (filter.guids) base.guid = In(filter.guids);
    if (scope.all) return [base];
    const guids = filter.guids
      ? scope.orgGuids.filter((g) => filter.guids?.includes(g))
      : scope.orgGuids;
    return guids.length ? [{ ...base, guid: In(guids) }] : [];
  }

  private on(manager?: EntityManager): Repository<OrganizationEntity> {
    return manager?.getRepository(OrganizationEntity) ?? this.repo;
  }
}
