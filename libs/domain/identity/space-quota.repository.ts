import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, FindOptionsWhere, In, Repository } from 'typeorm';
import { findPage, Page, PageRequest } from '@wharf/platform/db';
import { SpaceQuotaEntity } from './space-quota.entity';

@Injectable()
export class SpaceQuotaRepository {
  constructor(
    @InjectRepository(SpaceQuotaEntity) private readonly repo: Repository<SpaceQuotaEntity>,
  ) {}

  /**
   * Space quotas the caller may see: all, or those of the given organizations plus the given
   * quota guids (applied to spaces the caller sees).
   */
  listPage(
    visible: 'all' | { organizationGuids: string[]; guids: string[] },
    filter: { names?: string[]; guids?: string[]; organizationGuids?: string[] },
    page: PageRequest,
  ): Promise<Page<SpaceQuotaEntity>> {
    const base: FindOptionsWhere<SpaceQuotaEntity> = {};
    if (filter.names) base.name = In(filter.names);
    if (filter.guids) base.guid = In(filter.guids);
    if (filter.organizationGuids) base.organizationGuid = In(filter.organizationGuids);
    if (visible === 'all') return findPage(this.repo, [base], page);
    const where: FindOptionsWhere<SpaceQuotaEntity>[] = [];
    const orgs = filter.organizationGuids
      ? visible.organizationGuids.filter((g) => filter.organizationGuids?.includes(g))
      : visible.organizationGuids;
    if (orgs.length) where.push({ ...base, organizationGuid: In(orgs) });
    const guids = filter.guids
      ? visible.guids.filter((g) => filter.guids?.includes(g))
      : visible.guids;
    if (guids.length) where.push({ ...base, guid: In(guids) });
    return findPage(this.repo, where, page);
  }

  /** Unscoped: callers check the quota's organization or spaces against the caller's visibility. */
  findByGuidUnscoped(guid: string): Promise<SpaceQuotaEntity | null> {
    return this.repo.findOneBy({ guid });
  }

  findByNameInOrganization(
    organizationGuid: string,
    name: string,
  ): Promise<SpaceQuotaEntity | null> {
    return this.repo.findOneBy({ organizationGuid, name });
  }

  create(fields: Partial<SpaceQuotaEntity>): SpaceQuotaEntity {
    return this.repo.create(fields);
  }

  /** With `manager`, in that transaction. */
  save(quota: SpaceQuotaEntity, manager?: EntityManager): Promise<SpaceQuotaEntity> {
    return this.on(manager).save(quota);
  }

  /** With `manager`, in that transaction. */
  async delete(guid: string, manager?: EntityManager): Promise<void> {
    await this.on(manager).delete({ guid });
  }

  private on(manager?: EntityManager): Repository<SpaceQuotaEntity> {
    return manager?.getRepository(SpaceQuotaEntity) ?? this.repo;
  }
}
