import { Injectable } from '@nestjs/common';
import { Visibility } from '@wharf/access';
import type { AuditActor } from '@wharf/events';
import { AppsErrorCode, appsError } from './apps.errors';
import { DeploymentCanceler } from './deployment-canceler';
import { DeploymentsQueryService } from './deployments-query.service';

/** POST /v3/deployments/:guid/actions/cancel: back to what the app ran before (CF's words). */
@Injectable()
export class DeploymentCancelAction {
  constructor(
    private readonly query: DeploymentsQueryService,
    private readonly canceler: DeploymentCanceler,
  ) {}

  async execute(input: { scope: Visibility; guid: string; actor?: AuditActor }): Promise<void> {
    const deployment = await this.query.getToChange(input.scope, input.guid);
    const canceled =
      deployment.previousAppVersion !== null &&
      (await this.canceler.cancel(deployment, { actor: input.actor }));
    if (!canceled) {
      const state = deployment.statusReason === 'SUPERSEDED' ? 'DEPLOYED' : deployment.statusReason;
      throw appsError(AppsErrorCode.InvalidDeployment, `Cannot cancel a ${state} deployment`);
    }
  }
}
