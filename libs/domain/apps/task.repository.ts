import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, IsNull, Not, Repository } from 'typeorm';
import { findPage, Page, PageRequest } from '@wharf/platform/db';
import { AppEntity } from './app.entity';
import { ACTIVE_TASK_STATES, TaskEntity, TaskState } from './task.entity';

export interface TaskFilter {
  guids?: string[];
  names?: string[];
  states?: string[];
  appGuids?: string[];
  sequenceIds?: number[];
}

@Injectable()
export class TaskRepository {
  constructor(@InjectRepository(TaskEntity) private readonly repo: Repository<TaskEntity>) {}

  private of(manager?: EntityManager): Repository<TaskEntity> {
    return manager?.getRepository(TaskEntity) ?? this.repo;
  }

  create(fields: Partial<TaskEntity>): TaskEntity {
    return this.repo.create(fields);
  }

  save(task: TaskEntity, manager?: EntityManager): Promise<TaskEntity> {
    return this.of(manager).save(task);
  }

  /** Unscoped: callers check the task's app against the caller's visibility. */
  findByGuidUnscoped(guid: string, manager?: EntityManager): Promise<TaskEntity | null> {
    return this.of(manager).findOneBy({ guid });
  }

  async nextSequenceId(appGuid: string, manager?: EntityManager): Promise<number> {
    const row = await this.of(manager)
      .createQueryBuilder('t')
      .select('COALESCE(MAX(t.sequence_id), 0)', 'max')
      .where('t.app_guid = :appGuid', { appGuid })
      .getRawOne<{ max: string }>();
    return Number(row?.max ?? 0) + 1;
  }

  /** The app's tasks that are pending or running (CF's per-app task limit counts these). */
  countActive(appGuid: string): Promise<number> {
    return this.repo.countBy({ appGuid, state: In([...ACTIVE_TASK_STATES]) });
  }

  /** Memory of the pending and running tasks of the apps in these spaces. */
  async memoryInUse(spaceGuids: string[]): Promise<number> {
    if (spaceGuids.length === 0) return 0;
    const row = await this.repo
      .createQueryBuilder('t')
      .innerJoin(AppEntity, 'a', 'a.guid = t.app_guid')
      .select('COALESCE(SUM(t.memory_in_mb), 0)', 'memory')
      .where('a.space_guid IN (:...spaceGuids)', { spaceGuids })
      .andWhere('t.state IN (:...states)', { states: [...ACTIVE_TASK_STATES] })
      .getRawOne<{ memory: string }>();
    return Number(row?.memory ?? 0);
  }

  /**
   * Moves the task from one of `from` to `to` in one conditional UPDATE: false when it is no
   * longer in `from` (a user's cancel and the scheduler may act at once).
   */
  async transition(
    guid: string,
    from: readonly TaskState[],
    to: Partial<Pick<TaskEntity, 'state' | 'failureReason'>>,
    manager?: EntityManager,
  ): Promise<boolean> {
    const result = await this.of(manager).update({ guid, state: In([...from]) }, to);
    return (result.affected ?? 0) === 1;
  }

  /** Where the task's container is (or null: removed), whatever its state. */
  async setContainer(
    guid: string,
    container: { cellGuid: string; containerId: string } | null,
  ): Promise<void> {
    await this.repo.update(
      { guid },
      { cellGuid: container?.cellGuid ?? null, containerId: container?.containerId ?? null },
    );
  }

  /** Its labels and annotations only: the scheduler may be changing its state meanwhile. */
  async setMetadata(
    guid: string,
    metadata: Pick<TaskEntity, 'labels' | 'annotations'>,
  ): Promise<void> {
    await this.repo.update({ guid }, metadata);
  }

  listInStatesUnscoped(states: readonly TaskState[]): Promise<TaskEntity[]> {
    return this.repo.find({ where: { state: In([...states]) }, order: { createdAt: 'ASC' } });
  }

  listWithContainersUnscoped(): Promise<TaskEntity[]> {
    return this.repo.find({ where: { containerId: Not(IsNull()) } });
  }

  /** Tasks of the given apps (already narrowed to what the caller may see). */
  listPage(
    appGuids: string[] | 'all',
    filter: TaskFilter,
    page: PageRequest,
  ): Promise<Page<TaskEntity>> {
    const apps =
      appGuids === 'all'
        ? filter.appGuids
        : filter.appGuids
          ? appGuids.filter((g) => filter.appGuids?.includes(g))
          : appGuids;
    if (apps && apps.length === 0) return findPage(this.repo, [], page);
    return findPage(
      this.repo,
      [
        {
          ...(apps ? { appGuid: In(apps) } : {}),
          ...(filter.guids ? { guid: In(filter.guids) } : {}),
          ...(filter.names ? { name: In(filter.names) } : {}),
          ...(filter.states ? { state: In(filter.states as TaskState[]) } : {}),
          ...(filter.sequenceIds ? { sequenceId: In(filter.sequenceIds) } : {}),
        },
      ],
      page,
    );
  }

  async deleteForApp(appGuid: string): Promise<void> {
    await this.repo.delete({ appGuid });
  }
}
