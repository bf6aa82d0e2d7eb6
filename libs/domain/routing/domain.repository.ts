import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, Repository } from 'typeorm';
import { findPage, Page, PageRequest } from '@wharf/platform/db';
import { DomainEntity } from './domain.entity';

@Injectable()
export class DomainRepository {
  constructor(@InjectRepository(DomainEntity) private readonly repo: Repository<DomainEntity>) {}

  /** Shared domains and the private domains of `orgGuids` ('all' for admins). */
  listPage(
    orgGuids: string[] | 'all',
    filter: { names?: string[]; guids?: string[] },
    page: PageRequest,
  ): Promise<Page<DomainEntity>> {
    const common = {
      ...(filter.names ? { name: In(filter.names) } : {}),
      ...(filter.guids ? { guid: In(filter.guids) } : {}),
    };
    const where =
      orgGuids === 'all'
        ? [common]
        : [
            { ...common, organizationGuid: IsNull() },
            ...(orgGuids.length ? [{ ...common, organizationGuid: In(orgGuids) }] : []),
          ];
    return findPage(this.repo, where, page);
  }

  findByGuidUnscoped(guid: string): Promise<DomainEntity | null> {
    return this.repo.findOneBy({ guid });
  }

  findByName(name: string): Promise<DomainEntity | null> {
    return this.repo.findOneBy({ name });
  }

  save(fields: Partial<DomainEntity>): Promise<DomainEntity> {
    return this.repo.save(this.repo.create(fields));
  }
}
