import type { AuditActor } from '@wharf/events';
import { AppAudit } from './app-audit';
import { Injectable } from '@nestjs/common';
import { Visibility } from '@wharf/access';
import { JobBus } from '@wharf/platform/queue';
import { ensureDropletProcesses } from './droplet-processes';
import { AppApiLog } from './app-api-log';
import { AppEntity } from './app.entity';
import { AppRepository } from './app.repository';
import { AppsErrorCode, appsError } from './apps.errors';
import { AppsQueryService } from './apps-query.service';
import { ProcessRepository } from './process.repository';

export interface CurrentDropletInput {
  scope: Visibility;
  appGuid: string;
  /** A staged droplet of this app (the staging context checks that before calling). */
  droplet: { guid: string; appGuid: string; processTypes: Record<string, string> };
  actor?: AuditActor;
}

/**
 * Makes a droplet the one the app's instances run (CF: PATCH relationships/current_droplet).
 * Every process type the droplet knows gets a process; running instances keep their droplet
 * until the app is restarted, as in CF.
 */
@Injectable()
export class AppCurrentDropletSetAction {
  constructor(
    private readonly audit: AppAudit,
    private readonly apps: AppRepository,
    private readonly processes: ProcessRepository,
    private readonly query: AppsQueryService,
    private readonly apiLog: AppApiLog,
    private readonly jobs: JobBus,
  ) {}

  async execute(input: CurrentDropletInput): Promise<AppEntity> {
    const app = await this.query.getAppToChange(input.scope, input.appGuid);
    if (input.droplet.appGuid !== app.guid) {
      throw appsError(
        AppsErrorCode.InvalidDroplet,
        'Unable to assign current droplet. Ensure the droplet exists and belongs to this app.',
      );
    }
    app.currentDropletGuid = input.droplet.guid;
    app.dropletProcessTypes = input.droplet.processTypes;
    // The droplet, the processes it brings and the event commit together.
    const saved = await this.jobs.transaction(async (tx) => {
      await ensureDropletProcesses(
        this.processes,
        app.guid,
        input.droplet.processTypes,
        tx.manager,
      );
      const saved = await this.apps.save(app, tx.manager);
      await this.audit.record(
        saved,
        'audit.app.droplet.mapped',
        input.actor,
        { request: { droplet_guid: input.droplet.guid } },
        tx.manager,
      );
      return saved;
    });
    await this.apiLog.write(
      app.guid,
      `Assigned droplet ${input.droplet.guid} as the current droplet`,
    );
    return saved;
  }
}
