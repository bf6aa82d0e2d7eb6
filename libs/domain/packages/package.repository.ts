import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { FindOptionsWhere, In, Repository } from 'typeorm';
import { findPage, Page, PageRequest } from '@wharf/platform/db';
import { PackageEntity, PackageState } from './package.entity';

export interface PackageFilter {
  guids?: string[];
  states?: PackageState[];
  /** Already narrowed to apps the caller may see. */
  appGuids: string[] | 'all';
}

@Injectable()
export class PackageRepository {
  constructor(@InjectRepository(PackageEntity) private readonly repo: Repository<PackageEntity>) {}

  listPage(filter: PackageFilter, page: PageRequest): Promise<Page<PackageEntity>> {
    const where: FindOptionsWhere<PackageEntity> = {};
    if (filter.guids) where.guid = In(filter.guids);
    if (filter.states) where.state = In(filter.states);
    if (filter.appGuids !== 'all') {
      if (filter.appGuids.length === 0) return findPage(this.repo, [], page);
      where.appGuid = In(filter.appGuids);
    }
    return findPage(this.repo, [where], page);
  }

  /** Unscoped: callers check the package's app against the caller's visibility. */
  findByGuidUnscoped(guid: string): Promise<PackageEntity | null> {
    return this.repo.findOneBy({ guid });
  }

  create(fields: Partial<PackageEntity>): PackageEntity {
    return this.repo.create(fields);
  }

  save(pkg: PackageEntity): Promise<PackageEntity> {
    return this.repo.save(pkg);
  }

  /** Moves AWAITING_UPLOAD → PROCESSING_UPLOAD atomically: only one upload wins. */
  async claimForUpload(guid: string): Promise<boolean> {
    const result = await this.repo.update(
      { guid, state: 'AWAITING_UPLOAD' },
      { state: 'PROCESSING_UPLOAD' },
    );
    return (result.affected ?? 0) === 1;
  }

  async deleteForApp(appGuid: string): Promise<string[]> {
    const rows = await this.repo.find({ select: { guid: true }, where: { appGuid } });
    await this.repo.delete({ appGuid });
    return rows.map((r) => r.guid);
  }
}
