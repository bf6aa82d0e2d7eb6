import { Injectable } from '@nestjs/common';
import {
  checkInstanceMemory,
  checkQuotaTotal,
  QuotaQueryService,
  QuotaViolation,
} from '@wharf/identity';
import { AppEntity } from './app.entity';
import { AppsErrorCode, appsError } from './apps.errors';
import { ProcessRepository } from './process.repository';
import { TaskRepository } from './task.repository';

/** What a process asks for: instances of a memory size. */
export interface ProcessDemand {
  instances: number;
  memoryInMb: number;
}

const ERRORS: Record<
  QuotaViolation['owner'],
  Record<'memory' | 'instance_memory' | 'instances', AppsErrorCode>
> = {
  organization: {
    memory: AppsErrorCode.AppMemoryQuotaExceeded,
    instance_memory: AppsErrorCode.QuotaInstanceMemoryLimitExceeded,
    instances: AppsErrorCode.QuotaInstanceLimitExceeded,
  },
  space: {
    memory: AppsErrorCode.SpaceQuotaMemoryLimitExceeded,
    instance_memory: AppsErrorCode.SpaceQuotaInstanceMemoryLimitExceeded,
    instances: AppsErrorCode.SpaceQuotaInstanceLimitExceeded,
  },
};

const total = (ps: ProcessDemand[], f: (p: ProcessDemand) => number) =>
  ps.reduce((sum, p) => sum + f(p), 0);

/**
 * Refuses a change to an app that would take its organization or space past a quota: memory
 * (memory × instances of the processes of started apps, and the memory of pending and running
 * tasks), app instances, and memory per instance.
 * Called before anything is saved, so a refused change leaves the app as it was.
 */
@Injectable()
export class AppQuotaCheck {
  constructor(
    private readonly quotas: QuotaQueryService,
    private readonly processes: ProcessRepository,
    private readonly tasks: TaskRepository,
  ) {}

  /** Memory in use in the organization and the space: started apps' processes and active tasks. */
  private async memoryInUse(
    organizationSpaceGuids: string[],
    spaceGuid: string,
  ): Promise<{
    organization: { memoryInMb: number; instances: number };
    space: { memoryInMb: number; instances: number };
  }> {
    const [inOrg, inSpace, tasksInOrg, tasksInSpace] = await Promise.all([
      this.processes.usageOfStartedApps(organizationSpaceGuids),
      this.processes.usageOfStartedApps([spaceGuid]),
      this.tasks.memoryInUse(organizationSpaceGuids),
      this.tasks.memoryInUse([spaceGuid]),
    ]);
    return {
      organization: { ...inOrg, memoryInMb: inOrg.memoryInMb + tasksInOrg },
      space: { ...inSpace, memoryInMb: inSpace.memoryInMb + tasksInSpace },
    };
  }

  /**
   * Refuses a task that would take its organization or space past a quota, with CF's messages
   * (the attribute, then which quota) and how far over: memory per instance, memory in total
   * (processes of started apps and pending or running tasks), and tasks per app.
   */
  async checkTask(input: {
    app: Pick<AppEntity, 'guid' | 'spaceGuid'>;
    memoryInMb: number;
    activeTasksOfApp: number;
    what: string;
  }): Promise<void> {
    const q = await this.quotas.effectiveQuotaOfSpace(input.app.spaceGuid);
    const refuse = (message: string, detail?: string): never => {
      throw appsError(AppsErrorCode.InvalidTask, detail ? `${message}. ${detail}` : message);
    };
    const perInstance = checkInstanceMemory(q, input.memoryInMb, input.what);
    if (perInstance)
      refuse(`memory_in_mb exceeds ${perInstance.owner} instance memory quota`, perInstance.detail);
    const used = await this.memoryInUse(q.organizationSpaceGuids, input.app.spaceGuid);
    const memory = checkQuotaTotal(
      q,
      'memory',
      { organization: used.organization.memoryInMb, space: used.space.memoryInMb },
      input.memoryInMb,
      input.what,
    );
    if (memory) refuse(`memory_in_mb exceeds ${memory.owner} memory quota`, memory.detail);
    for (const limits of [q.space?.limits, q.organization.limits]) {
      const limit = limits?.perAppTasks;
      if (limit !== null && limit !== undefined && input.activeTasksOfApp + 1 > limit)
        refuse('app_task_limit quota exceeded');
    }
  }

  async check(input: {
    /** The app as it is now (a manifest's new app: no guid yet, stopped). */
    app: Pick<AppEntity, 'guid' | 'spaceGuid' | 'state'>;
    /** Every process of the app as it will be after the change. */
    after: ProcessDemand[];
    /** Whether the app will be started after the change. */
    startedAfter: boolean;
    /** Memory sizes set by this change (checked against the per-instance limit even when stopped). */
    memorySet?: number[];
    /** What asks for more, e.g. "starting app 'web'". */
    what: string;
  }): Promise<void> {
    const q = await this.quotas.effectiveQuotaOfSpace(input.app.spaceGuid);
    const memories = input.startedAfter
      ? input.after.map((p) => p.memoryInMb)
      : (input.memorySet ?? []);
    let violation: QuotaViolation | null = null;
    for (const m of memories) violation ??= checkInstanceMemory(q, m, input.what);
    if (!violation && input.startedAfter) {
      const before =
        input.app.state === 'STARTED' ? await this.processes.listForApp(input.app.guid) : [];
      const { organization: inOrg, space: inSpace } = await this.memoryInUse(
        q.organizationSpaceGuids,
        input.app.spaceGuid,
      );
      const memory = (p: ProcessDemand) => p.memoryInMb * p.instances;
      const instances = (p: ProcessDemand) => p.instances;
      violation =
        checkQuotaTotal(
          q,
          'memory',
          { organization: inOrg.memoryInMb, space: inSpace.memoryInMb },
          total(input.after, memory) - total(before, memory),
          input.what,
        ) ??
        checkQuotaTotal(
          q,
          'instances',
          { organization: inOrg.instances, space: inSpace.instances },
          total(input.after, instances) - total(before, instances),
          input.what,
        );
    }
    if (violation) {
      throw appsError(
        ERRORS[violation.owner][violation.kind as 'memory' | 'instance_memory' | 'instances'],
        violation.detail,
      );
    }
  }
}
