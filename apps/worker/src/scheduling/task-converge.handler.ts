import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { JobPayloads } from '@wharf/contracts';
import { isUuid } from '@wharf/platform/db';
import { JobHandler, JobProcessor } from '@wharf/platform/queue';
import { TaskRunner } from '@wharf/scheduling';

@Injectable()
@JobHandler('task.converge')
export class TaskConvergeHandler implements JobProcessor<'task.converge'> {
  constructor(private readonly runner: TaskRunner) {}

  async handle(payload: JobPayloads['task.converge']): Promise<void> {
    if (!isUuid(payload?.taskGuid)) throw new UnrecoverableError('task.converge needs taskGuid');
    await this.runner.converge(payload.taskGuid);
  }
}
