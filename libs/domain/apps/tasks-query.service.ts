import { Injectable } from '@nestjs/common';
import { requireDeveloper, Visibility, visibleSpaceGuids } from '@wharf/access';
import type { Page, PageRequest } from '@wharf/platform/db';
import { notFound } from '@wharf/platform/errors';
import { AppRepository } from './app.repository';
import { AppsQueryService } from './apps-query.service';
import { TaskEntity, TaskState } from './task.entity';
import { TaskFilter, TaskRepository } from './task.repository';

/** Reads of tasks: a task is visible when its app is. */
@Injectable()
export class TasksQueryService {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly apps: AppsQueryService,
    private readonly appRows: AppRepository,
  ) {}

  async get(scope: Visibility, guid: string): Promise<TaskEntity> {
    const task = await this.tasks.findByGuidUnscoped(guid);
    if (!task || !(await this.apps.findApp(scope, task.appGuid))) throw notFound('Task');
    return task;
  }

  /** For a change (cancel, metadata): visible (else 404), developer (else 403). */
  async getToChange(scope: Visibility, guid: string): Promise<TaskEntity> {
    const task = await this.get(scope, guid);
    requireDeveloper(scope, (await this.apps.getApp(scope, task.appGuid)).spaceGuid);
    return task;
  }

  /** `spaceGuids` narrows to the apps of those spaces (CF's `space_guids` filter). */
  async list(
    scope: Visibility,
    filter: TaskFilter & { spaceGuids?: string[] },
    page: PageRequest,
  ): Promise<Page<TaskEntity>> {
    const { spaceGuids, ...rest } = filter;
    let apps = await this.apps.visibleAppGuids(scope);
    if (spaceGuids) {
      const visible = visibleSpaceGuids(scope);
      const inSpaces = await this.appRows.guidsInScope(
        visible === 'all' ? spaceGuids : spaceGuids.filter((s) => visible.includes(s)),
      );
      apps =
        inSpaces === 'all'
          ? apps
          : apps === 'all'
            ? inSpaces
            : apps.filter((g) => inSpaces.includes(g));
    }
    return this.tasks.listPage(apps, rest, page);
  }

  /** The tasks of an app (404 when the app is not visible). */
  async listForApp(
    scope: Visibility,
    appGuid: string,
    filter: TaskFilter,
    page: PageRequest,
  ): Promise<Page<TaskEntity>> {
    await this.apps.getApp(scope, appGuid);
    return this.tasks.listPage([appGuid], { ...filter, appGuids: undefined }, page);
  }

  /** The scheduler's reads, across every space. */
  findUnscoped(guid: string): Promise<TaskEntity | null> {
    return this.tasks.findByGuidUnscoped(guid);
  }

  listInStatesUnscoped(states: readonly TaskState[]): Promise<TaskEntity[]> {
    return this.tasks.listInStatesUnscoped(states);
  }

  listWithContainersUnscoped(): Promise<TaskEntity[]> {
    return this.tasks.listWithContainersUnscoped();
  }
}
