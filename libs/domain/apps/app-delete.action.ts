import { AppAudit } from './app-audit';
import { Injectable } from '@nestjs/common';
import type { Principal, Visibility } from '@wharf/access';
import { JobBus, UserJobLauncher } from '@wharf/platform/queue';
import { AppsQueryService } from './apps-query.service';

/** DELETE /v3/apps/:guid: a job that removes the app (and, with later issues, what it runs). */
@Injectable()
export class AppDeleteAction {
  constructor(
    private readonly audit: AppAudit,
    private readonly query: AppsQueryService,
    private readonly launcher: UserJobLauncher,
    private readonly jobs: JobBus,
  ) {}

  async execute(input: {
    scope: Visibility;
    principal: Principal;
    guid: string;
  }): Promise<{ jobGuid: string }> {
    const app = await this.query.getAppToChange(input.scope, input.guid);
    // The request's event, the /v3/jobs row and the work commit together.
    return this.jobs.transaction(async (tx) => {
      await this.audit.record(
        app,
        'audit.app.delete-request',
        {
          guid: input.principal.userGuid,
          type: 'user',
          name: input.principal.username,
          requestId: input.principal.requestId,
        },
        {},
        tx.manager,
      );
      return this.launcher.launchIn(
        tx,
        'app.delete',
        {
          operation: 'app.delete',
          resourceType: 'app',
          resourceGuid: app.guid,
          userGuid: input.principal.userGuid,
        },
        { appGuid: app.guid },
      );
    });
  }
}
