import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { Visibility } from '@wharf/access';
import type { AuditActor } from '@wharf/events';
import { MetadataPatch, mergeMetadata, QuotaLock } from '@wharf/identity';
import { JobBus } from '@wharf/platform/queue';
import { AppAudit } from './app-audit';
import { APP_DROPLETS, AppDroplets } from './app-droplets.port';
import { AppLaunchTargets } from './app-launch-target';
import { AppQuotaCheck } from './app-quota.check';
import { AppsErrorCode, appsError } from './apps.errors';
import { AppsQueryService } from './apps-query.service';
import { PROCESS_DEFAULTS } from './process-defaults';
import { ProcessRepository } from './process.repository';
import { TaskEntity } from './task.entity';
import { TaskRepository } from './task.repository';

/** CF's longest task command. */
export const TASK_COMMAND_MAX_LENGTH = 4096;

export interface TaskCreateInput {
  scope: Visibility;
  appGuid: string;
  command?: string;
  name?: string;
  memoryInMb?: number;
  diskInMb?: number;
  /** Default: the app's current droplet. */
  dropletGuid?: string;
  /** A process of the app whose command, memory and disk are the defaults (CF's `template`). */
  templateProcessGuid?: string;
  metadata?: MetadataPatch;
  actor?: AuditActor;
}

/**
 * POST /v3/apps/:guid/tasks: a task `PENDING` on the app's droplet (or the one named), checked
 * against the quotas under the organization's lock (memory per instance and in total, tasks per
 * app), saved with its `audit.app.task.create` and the `task.converge` that runs it, in one
 * transaction. Tasks run whether the app is started or stopped, as in CF.
 */
@Injectable()
export class TaskCreateAction {
  constructor(
    private readonly query: AppsQueryService,
    private readonly processes: ProcessRepository,
    private readonly tasks: TaskRepository,
    private readonly targets: AppLaunchTargets,
    private readonly quota: AppQuotaCheck,
    private readonly quotaLock: QuotaLock,
    private readonly audit: AppAudit,
    private readonly jobs: JobBus,
    @Optional() @Inject(APP_DROPLETS) private readonly droplets?: AppDroplets,
  ) {}

  async execute(input: TaskCreateInput): Promise<TaskEntity> {
    const { spaceGuid } = await this.query.getAppToChange(input.scope, input.appGuid);
    return this.quotaLock.inSpace(spaceGuid, async () => {
      const app = await this.query.getAppToChange(input.scope, input.appGuid);
      let dropletGuid = app.currentDropletGuid;
      if (input.dropletGuid) {
        const droplet = await this.droplets?.findStaged(input.dropletGuid);
        if (!droplet || droplet.appGuid !== app.guid)
          throw appsError(AppsErrorCode.InvalidTask, 'Droplet not found');
        dropletGuid = droplet.guid;
      }
      if (!dropletGuid) {
        throw appsError(
          AppsErrorCode.InvalidTask,
          'Task must have a droplet. Specify droplet or assign current droplet to app.',
        );
      }
      let command = input.command;
      let memoryInMb = input.memoryInMb;
      let diskInMb = input.diskInMb;
      if (input.templateProcessGuid) {
        const template = (await this.processes.listForApp(app.guid)).find(
          (p) => p.guid === input.templateProcessGuid,
        );
        if (!template) {
          throw appsError(
            AppsErrorCode.InvalidTask,
            `Process with guid '${input.templateProcessGuid}' not found`,
          );
        }
        command ??= (await this.targets.resolve(app, template))?.command ?? undefined;
        memoryInMb ??= template.memoryInMb;
        diskInMb ??= template.diskInMb;
      }
      if (command === undefined || command.trim() === '')
        throw appsError(AppsErrorCode.InvalidTask, 'command presence');
      if (command.length > TASK_COMMAND_MAX_LENGTH) {
        throw appsError(
          AppsErrorCode.InvalidTask,
          `command must be shorter than ${TASK_COMMAND_MAX_LENGTH + 1} characters`,
        );
      }
      const name = input.name ?? randomBytes(4).toString('hex');
      memoryInMb ??= PROCESS_DEFAULTS.memoryInMb;
      diskInMb ??= PROCESS_DEFAULTS.diskInMb;
      await this.quota.checkTask({
        app,
        memoryInMb,
        activeTasksOfApp: await this.tasks.countActive(app.guid),
        what: `task '${name}'`,
      });
      // Numbered under the organization's lock: no other task of the app is numbered meanwhile.
      const task = this.tasks.create({
        guid: randomUUID(),
        appGuid: app.guid,
        sequenceId: await this.tasks.nextSequenceId(app.guid),
        name,
        command,
        state: 'PENDING',
        memoryInMb,
        diskInMb,
        logRateLimitInBytesPerSecond: -1,
        dropletGuid,
        failureReason: null,
        cellGuid: null,
        containerId: null,
        labels: mergeMetadata({}, input.metadata?.labels),
        annotations: mergeMetadata({}, input.metadata?.annotations),
      });
      return this.jobs.transaction(async (tx) => {
        const saved = await this.tasks.save(task, tx.manager);
        await this.audit.record(
          app,
          'audit.app.task.create',
          input.actor,
          {
            task_guid: saved.guid,
            request: {
              name: saved.name,
              command: '[PRIVATE DATA HIDDEN]',
              memory_in_mb: saved.memoryInMb,
              disk_in_mb: saved.diskInMb,
            },
          },
          tx.manager,
        );
        await tx.enqueue(
          'task.converge',
          { taskGuid: saved.guid },
          { key: `${saved.guid}@create` },
        );
        return saved;
      });
    });
  }
}
