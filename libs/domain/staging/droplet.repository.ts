import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { findPage, Page, PageRequest } from '@wharf/platform/db';
import { DropletEntity } from './droplet.entity';

@Injectable()
export class DropletRepository {
  constructor(@InjectRepository(DropletEntity) private readonly repo: Repository<DropletEntity>) {}

  listPage(
    filter: { guids?: string[]; appGuids: string[] | 'all' },
    page: PageRequest,
  ): Promise<Page<DropletEntity>> {
    if (filter.appGuids !== 'all' && filter.appGuids.length === 0)
      return findPage(this.repo, [], page);
    return findPage(
      this.repo,
      [
        {
          ...(filter.guids ? { guid: In(filter.guids) } : {}),
          ...(filter.appGuids !== 'all' ? { appGuid: In(filter.appGuids) } : {}),
        },
      ],
      page,
    );
  }

  findByGuidUnscoped(guid: string): Promise<DropletEntity | null> {
    return this.repo.findOneBy({ guid });
  }

  findByBuild(buildGuid: string): Promise<DropletEntity | null> {
    return this.repo.findOneBy({ buildGuid });
  }

  listForApp(appGuid: string): Promise<DropletEntity[]> {
    return this.repo.findBy({ appGuid });
  }

  async markExpired(guid: string): Promise<void> {
    await this.repo.update({ guid, state: 'STAGED' }, { state: 'EXPIRED' });
  }

  async delete(guid: string): Promise<void> {
    await this.repo.delete({ guid });
  }

  create(fields: Partial<DropletEntity>): DropletEntity {
    return this.repo.create(fields);
  }

  save(droplet: DropletEntity): Promise<DropletEntity> {
    return this.repo.save(droplet);
  }
}
