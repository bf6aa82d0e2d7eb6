import type { AuditActor } from '@wharf/events';
import { AppAudit } from './app-audit';
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Visibility } from '@wharf/access';
import { QuotaLock } from '@wharf/identity';
import { JobBus } from '@wharf/platform/queue';
import { AppApiLog } from './app-api-log';
import { AppConvergeTrigger } from './app-converge.trigger';
import { AppEntity } from './app.entity';
import { AppRepository } from './app.repository';
import { AppsErrorCode, appsError } from './apps.errors';
import { AppsQueryService } from './apps-query.service';
import { AppQuotaCheck } from './app-quota.check';
import { ProcessRepository } from './process.repository';
import { AppRevisionRecorder } from './app-revision.recorder';
import { DeploymentRepository } from './deployment.repository';

/**
 * STARTED with its current droplet. Starting a started app changes nothing (as in CF); restart
 * gives it a new version, which replaces every instance and supersedes a deployment. A start of a stopped app and every
 * restart record what it starts from as a revision (`AppRevisionRecorder`), as CF's do.
 */
@Injectable()
export class AppStartAction {
  constructor(
    private readonly audit: AppAudit,
    private readonly apps: AppRepository,
    private readonly query: AppsQueryService,
    private readonly converge: AppConvergeTrigger,
    private readonly apiLog: AppApiLog,
    private readonly processes: ProcessRepository,
    private readonly quota: AppQuotaCheck,
    private readonly quotaLock: QuotaLock,
    private readonly jobs: JobBus,
    private readonly revisions: AppRevisionRecorder,
    private readonly deployments: DeploymentRepository,
  ) {}

  async execute(input: {
    scope: Visibility;
    guid: string;
    restart?: boolean;
    actor?: AuditActor;
  }): Promise<AppEntity> {
    const { spaceGuid } = await this.query.getAppToChange(input.scope, input.guid);
    // From the count of what is in use to the save, nothing else in the organization changes:
    // the app is read again under the lock.
    const saved = await this.quotaLock.inSpace(spaceGuid, async () => {
      const app = await this.query.getAppToChange(input.scope, input.guid);
      if (!app.currentDropletGuid) {
        throw appsError(
          AppsErrorCode.NoDropletToStart,
          'Assign a droplet before starting this app.',
        );
      }
      if (app.state !== 'STARTED') {
        // Its processes start counting against the organization's and space's quotas.
        await this.quota.check({
          app,
          after: await this.processes.listForApp(app.guid),
          startedAfter: true,
          what: `starting app '${app.name}'`,
        });
      }
      const starting = app.state !== 'STARTED' || input.restart === true;
      if (starting || !app.version) {
        app.state = 'STARTED';
        app.version = randomUUID();
      }
      const processes = starting ? await this.processes.listForApp(app.guid) : [];
      // The state, its event and the converge commit together.
      return this.jobs.transaction(async (tx) => {
        const saved = await this.apps.save(app, tx.manager);
        if (starting) {
          await this.revisions.record(saved, processes, input.actor, tx.manager);
          // The new version replaces a deployment's, which is then over.
          await this.deployments.finalizeActive(saved.guid, 'SUPERSEDED', tx.manager);
        }
        await this.audit.record(
          saved,
          input.restart ? 'audit.app.restart' : 'audit.app.start',
          input.actor,
          {},
          tx.manager,
        );
        await this.converge.now(saved.guid, tx);
        return saved;
      });
    });
    await this.apiLog.write(
      saved.guid,
      input.restart
        ? `Restarting app with guid ${saved.guid}`
        : `Updated app with guid ${saved.guid} ({"state":"STARTED"})`,
    );
    return saved;
  }
}
