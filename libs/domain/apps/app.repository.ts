import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, FindOptionsWhere, In, Repository } from 'typeorm';
import { findPage, Page, PageRequest } from '@wharf/platform/db';
import { AppEntity } from './app.entity';

export interface AppFilter {
  names?: string[];
  guids?: string[];
  spaceGuids?: string[];
}

/** Every tenant read takes the space guids the caller may see (`'all'` for admins). */
export type SpaceScope = 'all' | string[];

@Injectable()
export class AppRepository {
  constructor(@InjectRepository(AppEntity) private readonly repo: Repository<AppEntity>) {}

  listPage(scope: SpaceScope, filter: AppFilter, page: PageRequest): Promise<Page<AppEntity>> {
    return findPage(this.repo, this.where(scope, filter), page);
  }

  async findVisible(scope: SpaceScope, guid: string): Promise<AppEntity | null> {
    const where = this.where(scope, { guids: [guid] });
    return where.length ? this.repo.findOne({ where }) : null;
  }

  findByNameInSpace(spaceGuid: string, name: string): Promise<AppEntity | null> {
    return this.repo.findOneBy({ spaceGuid, name });
  }

  /** Unscoped: the worker acts on requests the API already authorized. */
  findByGuidUnscoped(guid: string, manager?: EntityManager): Promise<AppEntity | null> {
    return (manager?.getRepository(AppEntity) ?? this.repo).findOneBy({ guid });
  }

  /** The guids of apps in the given spaces (`'all'` stays all). */
  async guidsInScope(scope: SpaceScope): Promise<string[] | 'all'> {
    if (scope === 'all') return 'all';
    if (scope.length === 0) return [];
    const rows = await this.repo.find({ select: { guid: true }, where: { spaceGuid: In(scope) } });
    return rows.map((r) => r.guid);
  }

  async startedGuidsUnscoped(): Promise<string[]> {
    const rows = await this.repo.find({ select: { guid: true }, where: { state: 'STARTED' } });
    return rows.map((r) => r.guid);
  }

  countInSpace(spaceGuid: string): Promise<number> {
    return this.repo.countBy({ spaceGuid });
  }

  create(fields: Partial<AppEntity>): AppEntity {
    return this.repo.create(fields);
  }

  /** With `manager`, in that transaction. */
  save(app: AppEntity, manager?: EntityManager): Promise<AppEntity> {
    return (manager?.getRepository(AppEntity) ?? this.repo).save(app);
  }

  async delete(guid: string): Promise<void> {
    await this.repo.delete({ guid });
  }

  private where(scope: SpaceScope, filter: AppFilter): FindOptionsWhere<AppEntity>[] {
    const base: FindOptionsWhere<AppEntity> = {};
    if (filter.names) base.name = In(filter.names);
    if (filter.guids) base.guid = In(filter.guids);
    let spaces = filter.spaceGuids;
    if (scope !== 'all') spaces = spaces ? spaces.filter((s) => scope.includes(s)) : scope;
    if (spaces) {
      if (spaces.length === 0) return [];
      base.spaceGuid = In(spaces);
    }
    return [base];
  }
}
