import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
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

  /** `scope`: the spaces the caller may see ('all' for admins). */
  listPage(
    scope: string[] | 'all',
    filter: AuditEventFilter,
    page: PageRequest,
  ): Promise<Page<AuditEventEntity>> {
    let spaces: string[] | undefined = filter.spaceGuids;
    if (scope !== 'all') spaces = (spaces ?? scope).filter((s) => scope.includes(s));
    if (spaces !== undefined && spaces.length === 0) return findPage(this.repo, [], page);
    return findPage(
      this.repo,
      [
        {
          ...(filter.types ? { type: In(filter.types) } : {}),
          ...(filter.targetGuids ? { targetGuid: In(filter.targetGuids) } : {}),
          ...(spaces ? { spaceGuid: In(spaces) } : {}),
          ...(filter.organizationGuids ? { organizationGuid: In(filter.organizationGuids) } : {}),
        },
      ],
      page,
    );
  }

  findByGuidUnscoped(guid: string): Promise<AuditEventEntity | null> {
    return this.repo.findOneBy({ guid });
  }

  save(fields: Partial<AuditEventEntity>): Promise<AuditEventEntity> {
    return this.repo.save(this.repo.create(fields));
  }
}
