import { Injectable } from '@nestjs/common';
import type { AuditActor } from '@wharf/events';
import { AppAudit } from './app-audit';
import { AppsQueryService } from './apps-query.service';
import type { Visibility } from '@wharf/access';
import { JobBus, JobTransaction } from '@wharf/platform/queue';
import { AppsErrorCode, appsError } from './apps.errors';
import type { HealthCheckType } from './manifest';
import { ProcessEntity } from './process.entity';
import { ProcessRepository } from './process.repository';
import { ProcessesQueryService } from './processes-query.service';

export interface HealthCheckInput {
  type: HealthCheckType;
  timeout?: number | null;
  invocationTimeout?: number | null;
  interval?: number | null;
  endpoint?: string | null;
}

export interface ProcessChange {
  command?: string | null;
  healthCheck?: HealthCheckInput;
  actor?: AuditActor;
}

/** The command and the health check of a process (desired state; effective at the next start). */
@Injectable()
export class ProcessUpdateAction {
  constructor(
    private readonly processes: ProcessRepository,
    private readonly query: ProcessesQueryService,
    private readonly apps: AppsQueryService,
    private readonly audit: AppAudit,
    private readonly jobs: JobBus,
  ) {}

  async execute(
    input: { scope: Visibility; guid: string } & ProcessChange,
  ): Promise<ProcessEntity> {
    const process = await this.query.getProcessToChange(input.scope, input.guid);
    setProcessChange(process, input);
    const app = await this.apps.getApp(input.scope, process.appGuid);
    // The change and its event commit together.
    return this.jobs.transaction((tx) => this.saveIn(tx, app, process, input));
  }

  /**
   * Gives `process` (of `app`, which the caller may change) the command and health check of
   * `change`, and saves it with its `audit.app.process.update` in `tx`.
   */
  async changeIn(
    tx: JobTransaction,
    app: { guid: string; name: string; spaceGuid: string },
    process: ProcessEntity,
    change: ProcessChange,
  ): Promise<ProcessEntity> {
    setProcessChange(process, change);
    return this.saveIn(tx, app, process, change);
  }

  private async saveIn(
    tx: JobTransaction,
    app: { guid: string; name: string; spaceGuid: string },
    process: ProcessEntity,
    input: ProcessChange,
  ): Promise<ProcessEntity> {
    const saved = await this.processes.save(process, tx.manager);
    await this.audit.record(
      app,
      'audit.app.process.update',
      input.actor,
      {
        process_type: saved.type,
        request: {
          ...(input.command !== undefined ? { command: '[PRIVATE DATA HIDDEN]' } : {}),
          ...(input.healthCheck ? { health_check: input.healthCheck } : {}),
        },
      },
      tx.manager,
    );
    return saved;
  }
}

/** Sets the command and the health check; an endpoint for a check that is not http is a 422. */
function setProcessChange(process: ProcessEntity, input: ProcessChange): void {
  if (input.command !== undefined) process.command = input.command;
  const hc = input.healthCheck;
  if (hc) {
    if (hc.endpoint && hc.type !== 'http') {
      throw appsError(
        AppsErrorCode.InvalidHealthCheck,
        'Health check endpoint can only be set for the http type.',
      );
    }
    process.healthCheckType = hc.type;
    process.healthCheckEndpoint =
      hc.type === 'http' ? (hc.endpoint ?? process.healthCheckEndpoint ?? '/') : null;
    if (hc.timeout !== undefined) process.healthCheckTimeout = hc.timeout;
    if (hc.invocationTimeout !== undefined)
      process.healthCheckInvocationTimeout = hc.invocationTimeout;
    if (hc.interval !== undefined) process.healthCheckInterval = hc.interval;
  }
}
