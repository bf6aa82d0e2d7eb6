import type { AuditActor } from '@wharf/events';
import { AppAudit } from './app-audit';
import { Injectable } from '@nestjs/common';
import type { Visibility } from '@wharf/access';
import { JobBus } from '@wharf/platform/queue';
import { AppRepository } from './app.repository';
import { AppsQueryService } from './apps-query.service';
import { patchEnvironmentVariables } from './environment-variables';

/** PATCH /v3/apps/:guid/environment_variables: merge, null deletes. Visible after a restart. */
@Injectable()
export class AppEnvironmentUpdateAction {
  constructor(
    private readonly audit: AppAudit,
    private readonly apps: AppRepository,
    private readonly query: AppsQueryService,
    private readonly jobs: JobBus,
  ) {}

  async execute(input: {
    scope: Visibility;
    guid: string;
    variables: Record<string, string | null>;
    actor?: AuditActor;
  }): Promise<Record<string, string>> {
    const app = await this.query.getAppToChange(input.scope, input.guid);
    app.environmentVariables = patchEnvironmentVariables(app.environmentVariables, input.variables);
    // The change and its event commit together.
    await this.jobs.transaction(async (tx) => {
      await this.apps.save(app, tx.manager);
      // Values may be secrets: the event names the variables, never their values.
      await this.audit.record(
        app,
        'audit.app.update',
        input.actor,
        { request: { environment_variables: Object.keys(input.variables) } },
        tx.manager,
      );
    });
    return app.environmentVariables;
  }
}
