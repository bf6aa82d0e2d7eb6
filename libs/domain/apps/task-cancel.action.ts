import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Visibility } from '@wharf/access';
import type { AuditActor } from '@wharf/events';
import { JobBus } from '@wharf/platform/queue';
import { AppAudit } from './app-audit';
import { AppsErrorCode, appsError } from './apps.errors';
import { AppsQueryService } from './apps-query.service';
import { ACTIVE_TASK_STATES, TaskEntity } from './task.entity';
import { TaskRepository } from './task.repository';
import { TasksQueryService } from './tasks-query.service';

/**
 * POST /v3/tasks/:guid/actions/cancel: `CANCELING`, with its `audit.app.task.cancel` and the
 * `task.converge` that stops the container (SIGTERM, then SIGKILL after 10 s); the task ends
 * `FAILED` ("task was cancelled"). A task that has ended cannot be canceled (CF's 422).
 */
@Injectable()
export class TaskCancelAction {
  constructor(
    private readonly query: TasksQueryService,
    private readonly apps: AppsQueryService,
    private readonly tasks: TaskRepository,
    private readonly audit: AppAudit,
    private readonly jobs: JobBus,
  ) {}

  async execute(input: {
    scope: Visibility;
    guid: string;
    actor?: AuditActor;
  }): Promise<TaskEntity> {
    const task = await this.query.getToChange(input.scope, input.guid);
    const app = await this.apps.getApp(input.scope, task.appGuid);
    const canceled = await this.jobs.transaction(async (tx) => {
      if (
        !(await this.tasks.transition(
          task.guid,
          ACTIVE_TASK_STATES,
          { state: 'CANCELING' },
          tx.manager,
        ))
      )
        return false;
      await this.audit.record(
        app,
        'audit.app.task.cancel',
        input.actor,
        { task_guid: task.guid, request: {} },
        tx.manager,
      );
      await tx.enqueue(
        'task.converge',
        { taskGuid: task.guid },
        { key: `${task.guid}@cancel-${randomUUID()}` },
      );
      return true;
    });
    const now = await this.query.get(input.scope, task.guid);
    if (!canceled) {
      throw appsError(
        AppsErrorCode.InvalidTask,
        `Task state is ${now.state} and therefore cannot be canceled`,
      );
    }
    return now;
  }
}
