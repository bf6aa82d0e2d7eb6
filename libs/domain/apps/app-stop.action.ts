import type { AuditActor } from '@wharf/events';
import { AppAudit } from './app-audit';
import { Injectable } from '@nestjs/common';
import { Visibility } from '@wharf/access';
import { JobBus } from '@wharf/platform/queue';
import { AppApiLog } from './app-api-log';
import { AppConvergeTrigger } from './app-converge.trigger';
import { AppEntity } from './app.entity';
import { AppRepository } from './app.repository';
import { AppsQueryService } from './apps-query.service';
import { DeploymentRepository } from './deployment.repository';

/**
 * STOPPED: the scheduler stops every instance (SIGTERM, 10 s, SIGKILL) and removes them; an
 * ACTIVE deployment is over (SUPERSEDED).
 */
@Injectable()
export class AppStopAction {
  constructor(
    private readonly audit: AppAudit,
    private readonly apps: AppRepository,
    private readonly query: AppsQueryService,
    private readonly converge: AppConvergeTrigger,
    private readonly apiLog: AppApiLog,
    private readonly jobs: JobBus,
    private readonly deployments: DeploymentRepository,
  ) {}

  async execute(input: {
    scope: Visibility;
    guid: string;
    actor?: AuditActor;
  }): Promise<AppEntity> {
    const app = await this.query.getAppToChange(input.scope, input.guid);
    app.state = 'STOPPED';
    // The state, its event and the converge commit together.
    const saved = await this.jobs.transaction(async (tx) => {
      const saved = await this.apps.save(app, tx.manager);
      await this.audit.record(saved, 'audit.app.stop', input.actor, {}, tx.manager);
      // A stopped app has nothing left to roll out.
      await this.deployments.finalizeActive(saved.guid, 'SUPERSEDED', tx.manager);
      await this.converge.now(saved.guid, tx);
      return saved;
    });
    await this.apiLog.write(
      saved.guid,
      `Updated app with guid ${saved.guid} ({"state":"STOPPED"})`,
    );
    return saved;
  }
}
