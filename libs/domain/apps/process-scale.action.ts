import type { AuditActor } from '@wharf/events';
import { AppAudit } from './app-audit';
import { AppsQueryService } from './apps-query.service';
import { Injectable } from '@nestjs/common';
import { ProcessEntity } from './process.entity';
import { AppApiLog } from './app-api-log';
import { AppConvergeTrigger } from './app-converge.trigger';
import { ProcessRepository } from './process.repository';
import { ProcessesQueryService } from './processes-query.service';
import { type Visibility } from '@wharf/access';
import { QuotaLock } from '@wharf/identity';
import { JobBus } from '@wharf/platform/queue';
import { AppQuotaCheck } from './app-quota.check';

export interface ProcessScaleInput {
  scope: Visibility;
  guid: string;
  instances?: number;
  memoryInMb?: number;
  diskInMb?: number;
  actor?: AuditActor;
}

/**
 * Desired instances and limits. In CF a new instance count applies at once and new memory or disk
 * at the next restart.
 */
@Injectable()
export class ProcessScaleAction {
  constructor(
    private readonly audit: AppAudit,
    private readonly apps: AppsQueryService,
    private readonly processes: ProcessRepository,
    private readonly query: ProcessesQueryService,
    private readonly converge: AppConvergeTrigger,
    private readonly apiLog: AppApiLog,
    private readonly quota: AppQuotaCheck,
    private readonly quotaLock: QuotaLock,
    private readonly jobs: JobBus,
  ) {}

  async execute(input: ProcessScaleInput): Promise<ProcessEntity> {
    const { spaceGuid } = await this.apps.getApp(
      input.scope,
      (await this.query.getProcessToChange(input.scope, input.guid)).appGuid,
    );
    // From the count of what is in use to the save, nothing else in the organization changes:
    // the process and its app are read again under the lock.
    const saved = await this.quotaLock.inSpace(spaceGuid, async () => {
      const process = await this.query.getProcessToChange(input.scope, input.guid);
      const app = await this.apps.getApp(input.scope, process.appGuid);
      const others = (await this.processes.listForApp(app.guid)).filter(
        (p) => p.guid !== process.guid,
      );
      await this.quota.check({
        app,
        after: [
          ...others,
          {
            instances: input.instances ?? process.instances,
            memoryInMb: input.memoryInMb ?? process.memoryInMb,
          },
        ],
        startedAfter: app.state === 'STARTED',
        memorySet: input.memoryInMb !== undefined ? [input.memoryInMb] : [],
        what: `scaling process '${process.type}' of app '${app.name}'`,
      });
      if (input.instances !== undefined) process.instances = input.instances;
      if (input.memoryInMb !== undefined) process.memoryInMb = input.memoryInMb;
      if (input.diskInMb !== undefined) process.diskInMb = input.diskInMb;
      // The process, its event and (for a new instance count, which applies at once; memory and
      // disk apply at the next restart) the converge commit together.
      return this.jobs.transaction(async (tx) => {
        const saved = await this.processes.save(process, tx.manager);
        await this.audit.record(
          app,
          'audit.app.process.scale',
          input.actor,
          {
            process_type: saved.type,
            request: {
              instances: input.instances,
              memory_in_mb: input.memoryInMb,
              disk_in_mb: input.diskInMb,
            },
          },
          tx.manager,
        );
        if (input.instances !== undefined) await this.converge.now(saved.appGuid, tx);
        return saved;
      });
    });
    await this.apiLog.write(
      saved.appGuid,
      `Scaling process ${saved.type}: ${JSON.stringify({ instances: saved.instances, memory_in_mb: saved.memoryInMb, disk_in_mb: saved.diskInMb })}`,
    );
    return saved;
  }
}
