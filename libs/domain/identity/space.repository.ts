import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, FindOptionsWhere, In, Repository } from 'typeorm';
import { findPage, Page, PageRequest } from '@wharf/platform/db';
import { SpaceEntity } from './space.entity';
import type { Visibility } from '@wharf/access';

export interface SpaceFilter {
  names?: string[];
  guids?: string[];
  organizationGuids?: string[];
}

@Injectable()
export class SpaceRepository {
  constructor(@InjectRepository(SpaceEntity) private readonly repo: Repository<SpaceEntity>) {}

  listPage(scope: Visibility, filter: SpaceFilter, page: PageRequest): Promise<Page<SpaceEntity>> {
    return findPage(this.repo, this.where(scope, filter), page);
  }

  async findVisible(scope: Visibility, guid: string): Promise<SpaceEntity | null> {
    const where = this.where(scope, { guids: [guid] });
    return where.length ? this.repo.findOne({ where }) : null;
  }

  /** With `manager`, in that transaction. */
  findByGuidUnscoped(guid: string, manager?: EntityManager): Promise<SpaceEntity | null> {
    return this.on(manager).findOneBy({ guid });
  }

  findByNameInOrganization(organizationGuid: string, name: string): Promise<SpaceEntity | null> {
    return this.repo.findOneBy({ organizationGuid, name });
  }

  async guidsInOrganizations(organizationGuids: string[]): Promise<string[]> {
    if (organizationGuids.length === 0) return [];
    const rows = await this.repo.find({
      select: { guid: true },
      where: { organizationGuid: In(organizationGuids) },
    });
    return rows.map((r) => r.guid);
  }

  /** The distinct organizations of the given spaces. */
  async organizationGuidsOf(spaceGuids: string[]): Promise<string[]> {
    if (spaceGuids.length === 0) return [];
    const rows = await this.repo
      .createQueryBuilder('s')
      .select('DISTINCT s.organization_guid', 'guid')
      .where('s.guid IN (:...spaceGuids)', { spaceGuids })
      .getRawMany<{ guid: string }>();
    return rows.map((r) => r.guid);
  }

  countInOrganization(organizationGuid: string): Promise<number> {
    return this.repo.countBy({ organizationGuid });
  }

  create(fields: Partial<SpaceEntity>): SpaceEntity {
    return this.repo.create(fields);
  }

  /** With `manager`, in that transaction. */
  save(space: SpaceEntity, manager?: EntityManager): Promise<SpaceEntity> {
    return this.on(manager).save(space);
  }

  /** Guids of the spaces a space quota is applied to, among those given (or all). */
  async guidsWithSpaceQuota(spaceQuotaGuid: string, among: string[] | 'all'): Promise<string[]> {
    if (among !== 'all' && among.length === 0) return [];
    const rows = await this.repo.find({
      select: { guid: true },
      where: { spaceQuotaGuid, ...(among === 'all' ? {} : { guid: In(among) }) },
      order: { name: 'ASC' },
    });
    return rows.map((r) => r.guid);
  }

  /** The space quotas applied to the given spaces. */
  async spaceQuotaGuidsOf(spaceGuids: string[]): Promise<string[]> {
    if (spaceGuids.length === 0) return [];
    const rows = await this.repo.find({
      select: { spaceQuotaGuid: true },
      where: { guid: In(spaceGuids) },
    });
    return [...new Set(rows.flatMap((r) => (r.spaceQuotaGuid ? [r.spaceQuotaGuid] : [])))];
  }

  countWithSpaceQuota(spaceQuotaGuid: string): Promise<number> {
    return this.repo.countBy({ spaceQuotaGuid });
  }

  findByGuidsUnscoped(guids: string[]): Promise<SpaceEntity[]> {
    return guids.length ? this.repo.findBy({ guid: In(guids) }) : Promise.resolve([]);
  }

  async setSpaceQuota(
    spaceGuids: string[],
    spaceQuotaGuid: string | null,
    manager?: EntityManager,
  ): Promise<void> {
    if (spaceGuids.length === 0) return;
    await this.on(manager).update({ guid: In(spaceGuids) }, { spaceQuotaGuid });
  }

  async delete(guid: string): Promise<void> {
    await this.repo.delete({ guid });
  }

  private where(scope: Visibility, filter: SpaceFilter): FindOptionsWhere<SpaceEntity>[] {
    const base: FindOptionsWhere<SpaceEntity> = {};
    if (filter.names) base.name = In(filter.names);
    if (filter.guids) base.guid = In(filter.guids);
    if (filter.organizationGuids) base.organizationGuid = In(filter.organizationGuids);
    if (scope.all) return [base];
    const spaceGuids = filter.guids
      ? scope.spaceGuids.filter((g) => filter.guids?.includes(g))
      : scope.spaceGuids;
    return spaceGuids.length ? [{ ...base, guid: In(spaceGuids) }] : [];
  }

  private on(manager?: EntityManager): Repository<SpaceEntity> {
    return manager?.getRepository(SpaceEntity) ?? this.repo;
  }
}
