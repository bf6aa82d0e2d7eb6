import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { findPage, Page, PageRequest } from '@wharf/platform/db';
import { AppEntity } from './app.entity';
import { ProcessEntity } from './process.entity';

@Injectable()
export class ProcessRepository {
  constructor(@InjectRepository(ProcessEntity) private readonly repo: Repository<ProcessEntity>) {}

  /** Processes of the given apps (already narrowed to what the caller may see). */
  listPage(
    appGuids: string[] | 'all',
    filter: { types?: string[]; guids?: string[] },
    page: PageRequest,
  ): Promise<Page<ProcessEntity>> {
    if (appGuids !== 'all' && appGuids.length === 0) return findPage(this.repo, [], page);
    return findPage(
      this.repo,
      [
        {
          ...(appGuids === 'all' ? {} : { appGuid: In(appGuids) }),
          ...(filter.types ? { type: In(filter.types) } : {}),
          ...(filter.guids ? { guid: In(filter.guids) } : {}),
        },
      ],
      page,
    );
  }

  /** Unscoped: callers check the process's app against the caller's visibility. */
  findByGuidUnscoped(guid: string): Promise<ProcessEntity | null> {
    return this.repo.findOneBy({ guid });
  }

  /** With `manager`, in that transaction. */
  findByAppAndType(
    appGuid: string,
    type: string,
    manager?: EntityManager,
  ): Promise<ProcessEntity | null> {
    return (manager?.getRepository(ProcessEntity) ?? this.repo).findOneBy({ appGuid, type });
  }

  create(fields: Partial<ProcessEntity>): ProcessEntity {
    return this.repo.create(fields);
  }

  /** With `manager`, in that transaction. */
  save(process: ProcessEntity, manager?: EntityManager): Promise<ProcessEntity> {
    return (manager?.getRepository(ProcessEntity) ?? this.repo).save(process);
  }

  /** Every process of the app runs `revisionGuid` from now on, in one UPDATE. */
  async setRevision(
    appGuid: string,
    revisionGuid: string | null,
    manager: EntityManager,
  ): Promise<void> {
    await manager.getRepository(ProcessEntity).update({ appGuid }, { revisionGuid });
  }

  /** With `manager`, in that transaction. */
  listForApp(appGuid: string, manager?: EntityManager): Promise<ProcessEntity[]> {
    return (manager?.getRepository(ProcessEntity) ?? this.repo).find({
      where: { appGuid },
      order: { type: 'ASC' },
    });
  }

  /** Memory (MB × instances) and instances of the processes of started apps in the spaces. */
  async usageOfStartedApps(
    spaceGuids: string[],
  ): Promise<{ memoryInMb: number; instances: number }> {
    if (spaceGuids.length === 0) return { memoryInMb: 0, instances: 0 };
    const row = await this.repo
      .createQueryBuilder('p')
      .innerJoin(AppEntity, 'a', 'a.guid = p.app_guid')
      .select('COALESCE(SUM(p.memory_in_mb * p.instances), 0)', 'memory')
      .addSelect('COALESCE(SUM(p.instances), 0)', 'instances')
      .where('a.space_guid IN (:...spaceGuids)', { spaceGuids })
      .andWhere("a.state = 'STARTED'")
      .getRawOne<{ memory: string; instances: string }>();
    return { memoryInMb: Number(row?.memory ?? 0), instances: Number(row?.instances ?? 0) };
  }

  async deleteForApp(appGuid: string): Promise<void> {
    await this.repo.delete({ appGuid });
  }
}
