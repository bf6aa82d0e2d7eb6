import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { findPage, Page, PageRequest } from '@wharf/platform/db';
import { BuildEntity, BuildState } from './build.entity';

export interface BuildFilter {
  guids?: string[];
  states?: BuildState[];
  /** 'all' for admins; otherwise the apps the caller may see. */
  appGuids: string[] | 'all';
}

@Injectable()
export class BuildRepository {
  constructor(@InjectRepository(BuildEntity) private readonly repo: Repository<BuildEntity>) {}

  listPage(filter: BuildFilter, page: PageRequest): Promise<Page<BuildEntity>> {
    if (filter.appGuids !== 'all' && filter.appGuids.length === 0)
      return findPage(this.repo, [], page);
    return findPage(
      this.repo,
      [
        {
          ...(filter.guids ? { guid: In(filter.guids) } : {}),
          ...(filter.states ? { state: In(filter.states) } : {}),
          ...(filter.appGuids !== 'all' ? { appGuid: In(filter.appGuids) } : {}),
        },
      ],
      page,
    );
  }

  findByGuidUnscoped(guid: string): Promise<BuildEntity | null> {
    return this.repo.findOneBy({ guid });
  }

  create(fields: Partial<BuildEntity>): BuildEntity {
    return this.repo.create(fields);
  }

  /** With `manager`, in that transaction. */
  save(build: BuildEntity, manager?: EntityManager): Promise<BuildEntity> {
    return (manager?.getRepository(BuildEntity) ?? this.repo).save(build);
  }

  async deleteForApp(appGuid: string): Promise<void> {
    await this.repo.delete({ appGuid });
  }

  /** Ends a build still STAGING; false when it had already ended (a retried job). */
  async finish(
    guid: string,
    outcome: { state: 'STAGED'; dropletGuid: string } | { state: 'FAILED'; error: string },
  ): Promise<boolean> {
    const result = await this.repo.update(
      { guid, state: 'STAGING' },
      outcome.state === 'STAGED'
        ? { state: 'STAGED', dropletGuid: outcome.dropletGuid }
        : { state: 'FAILED', error: outcome.error },
    );
    return (result.affected ?? 0) === 1;
  }
}
