import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, FindOptionsWhere, In, IsNull, Repository } from 'typeorm';
import { findPage, Page, PageRequest } from '@wharf/platform/db';
import { AuditEventEntity } from './audit-event.entity';

export interface AuditEventFilter {
  types?: string[];
  targetGuids?: string[];
  spaceGuids?: string[];
  organizationGuids?: string[];
}

@Injectable()
export class AuditEventRepository {
  constructor(
    @InjectRepository(AuditEventEntity) private readonly repo: Repository<AuditEventEntity>,
  ) {}

  /**
   * `scope`: 'all' for admins; else the spaces whose events the caller may see, and the
   * organizations whose events outside any space (roles, quotas, the organization) they may see.
   */
  listPage(
    scope: { spaceGuids: string[]; organizationGuids: string[] } | 'all',
    filter: AuditEventFilter,
    page: PageRequest,
  ): Promise<Page<AuditEventEntity>> {
    const common: FindOptionsWhere<AuditEventEntity> = {
      ...(filter.types ? { type: In(filter.types) } : {}),
      ...(filter.targetGuids ? { targetGuid: In(filter.targetGuids) } : {}),
    };
    const orgs = (among: string[] | undefined) =>
      among === undefined ? {} : { organizationGuid: In(among) };
    if (scope === 'all') {
      return findPage(
        this.repo,
        [
          {
            ...common,
            ...(filter.spaceGuids ? { spaceGuid: In(filter.spaceGuids) } : {}),
            ...orgs(filter.organizationGuids),
          },
        ],
        page,
      );
    }
    const keep = (xs: string[], filtered?: string[]) =>
      filtered ? filtered.filter((x) => xs.includes(x)) : xs;
    const spaces = keep(scope.spaceGuids, filter.spaceGuids);
    // A space_guids filter asks for events in spaces: none outside one.
    const orgLevel = filter.spaceGuids
      ? []
      : keep(scope.organizationGuids, filter.organizationGuids);
    const where: FindOptionsWhere<AuditEventEntity>[] = [];
    if (spaces.length > 0)
      where.push({ ...common, spaceGuid: In(spaces), ...orgs(filter.organizationGuids) });
    if (orgLevel.length > 0)
      where.push({ ...common, spaceGuid: IsNull(), organizationGuid: In(orgLevel) });
    return findPage(this.repo, where, page);
  }

  findByGuidUnscoped(guid: string): Promise<AuditEventEntity | null> {
    return this.repo.findOneBy({ guid });
  }

  /** With `manager`, in that transaction. */
  save(fields: Partial<AuditEventEntity>, manager?: EntityManager): Promise<AuditEventEntity> {
    const repo = manager?.getRepository(AuditEventEntity) ?? this.repo;
    return repo.save(repo.create(fields));
  }
}
