import { Injectable } from '@nestjs/common';
import { Visibility } from '@wharf/access';
import type { AuditActor } from '@wharf/events';
import { AppAudit } from './app-audit';
import { AppConvergeTrigger } from './app-converge.trigger';
import { AppsErrorCode, appsError } from './apps.errors';
import { AppsQueryService } from './apps-query.service';
import { DeploymentRepository } from './deployment.repository';
import { DeploymentsQueryService } from './deployments-query.service';

/** POST /v3/deployments/:guid/actions/continue: a paused canary rolls out the rest. */
@Injectable()
export class DeploymentContinueAction {
  constructor(
    private readonly query: DeploymentsQueryService,
    private readonly apps: AppsQueryService,
    private readonly deployments: DeploymentRepository,
    private readonly audit: AppAudit,
    private readonly converge: AppConvergeTrigger,
  ) {}

  async execute(input: { scope: Visibility; guid: string; actor?: AuditActor }): Promise<void> {
    const deployment = await this.query.getToChange(input.scope, input.guid);
    const moved = await this.deployments.transition(deployment.guid, ['PAUSED'], {
      statusReason: 'DEPLOYING',
      promoted: true,
    });
    if (!moved) {
      throw appsError(
        AppsErrorCode.InvalidDeployment,
        `Cannot continue a deployment with status: ${deployment.statusValue} and reason: ${deployment.statusReason}`,
      );
    }
    const app = await this.apps.getApp(input.scope, deployment.appGuid);
    await this.audit.record(app, 'audit.app.deployment.continue', input.actor, {
      droplet_guid: deployment.dropletGuid,
    });
    await this.converge.now(app.guid);
  }
}
