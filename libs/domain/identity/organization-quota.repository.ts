import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, FindOptionsWhere, In, Repository } from 'typeorm';
import { findPage, Page, PageRequest } from '@wharf/platform/db';
import { OrganizationQuotaEntity } from './organization-quota.entity';

export interface OrganizationQuotaFilter {
  names?: string[];
  guids?: string[];
  organizationGuids?: string[];
}

@Injectable()
export class OrganizationQuotaRepository {
  constructor(
    @InjectRepository(OrganizationQuotaEntity)
    private readonly repo: Repository<OrganizationQuotaEntity>,
  ) {}

  /**
   * Quotas among `visibleGuids` (those of organizations the caller sees, or all). The
   * organization_guids filter is resolved by the caller into guids.
   */
  listPage(
    visibleGuids: string[] | 'all',
    filter: { names?: string[]; guids?: string[] },
    page: PageRequest,
  ): Promise<Page<OrganizationQuotaEntity>> {
    const where: FindOptionsWhere<OrganizationQuotaEntity> = {};
    if (filter.names) where.name = In(filter.names);
    let guids = filter.guids;
    if (visibleGuids !== 'all')
      guids = (guids ?? visibleGuids).filter((g) => visibleGuids.includes(g));
    if (guids) {
      if (guids.length === 0) return findPage(this.repo, [], page);
      where.guid = In(guids);
    }
    return findPage(this.repo, [where], page);
  }

  /** Unscoped: callers check visibility (through the organizations using it) first. */
  findByGuidUnscoped(guid: string): Promise<OrganizationQuotaEntity | null> {
    return this.repo.findOneBy({ guid });
  }

  findByNameUnscoped(name: string): Promise<OrganizationQuotaEntity | null> {
    return this.repo.findOneBy({ name });
  }

  create(fields: Partial<OrganizationQuotaEntity>): OrganizationQuotaEntity {
    return this.repo.create(fields);
  }

  /** With `manager`, in that transaction. */
  save(quota: OrganizationQuotaEntity, manager?: EntityManager): Promise<OrganizationQuotaEntity> {
    return this.on(manager).save(quota);
  }

  /** With `manager`, in that transaction. */
  async delete(guid: string, manager?: EntityManager): Promise<void> {
    await this.on(manager).delete({ guid });
  }

  private on(manager?: EntityManager): Repository<OrganizationQuotaEntity> {
    return manager?.getRepository(OrganizationQuotaEntity) ?? this.repo;
  }
}
