import { Injectable } from '@nestjs/common';
import { TaskEntity } from './task.entity';
import { TaskRepository } from './task.repository';

/** CF's failure reason of a canceled task. */
export const TASK_CANCELED_REASON = 'task was cancelled';

/** How a task's container ended. */
export type TaskExit = { exitStatus: number; outOfMemory: boolean } | { failure: string };

/**
 * What the scheduler records of a task it runs: where its container is, that it runs, and how it
 * ended. Each state change is one conditional UPDATE, so a user's cancel written meanwhile is
 * never overwritten by a late `RUNNING`.
 */
@Injectable()
export class TaskStateRecorder {
  constructor(private readonly tasks: TaskRepository) {}

  recordContainer(guid: string, container: { cellGuid: string; containerId: string } | null) {
    return this.tasks.setContainer(guid, container);
  }

  /** PENDING → RUNNING; false when it is no longer pending (canceled meanwhile). */
  running(guid: string): Promise<boolean> {
    return this.tasks.transition(guid, ['PENDING'], { state: 'RUNNING' });
  }

  /**
   * The task's end: SUCCEEDED on exit 0, else FAILED with CF's reason; a task being canceled
   * fails as canceled whatever its exit. False when it had already ended.
   */
  async ended(task: TaskEntity, exit: TaskExit): Promise<boolean> {
    const to =
      'failure' in exit
        ? { state: 'FAILED' as const, failureReason: exit.failure }
        : exit.exitStatus === 0
          ? { state: 'SUCCEEDED' as const, failureReason: null }
          : {
              state: 'FAILED' as const,
              failureReason: `APP/TASK/${task.name}: Exited with status ${exit.exitStatus}${exit.outOfMemory ? ' (out of memory)' : ''}`,
            };
    if (await this.tasks.transition(task.guid, ['PENDING', 'RUNNING'], to)) return true;
    return this.tasks.transition(task.guid, ['CANCELING'], {
      state: 'FAILED',
      failureReason: TASK_CANCELED_REASON,
    });
  }
}
