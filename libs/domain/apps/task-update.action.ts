import { Injectable } from '@nestjs/common';
import { Visibility } from '@wharf/access';
import { mergeMetadata, MetadataPatch } from '@wharf/identity';
import { TaskEntity } from './task.entity';
import { TaskRepository } from './task.repository';
import { TasksQueryService } from './tasks-query.service';

/** PATCH /v3/tasks/:guid: its labels and annotations. */
@Injectable()
export class TaskUpdateAction {
  constructor(
    private readonly query: TasksQueryService,
    private readonly tasks: TaskRepository,
  ) {}

  async execute(input: {
    scope: Visibility;
    guid: string;
    metadata?: MetadataPatch;
  }): Promise<TaskEntity> {
    const task = await this.query.getToChange(input.scope, input.guid);
    await this.tasks.setMetadata(task.guid, {
      labels: mergeMetadata(task.labels, input.metadata?.labels),
      annotations: mergeMetadata(task.annotations, input.metadata?.annotations),
    });
    return this.query.get(input.scope, task.guid);
  }
}
