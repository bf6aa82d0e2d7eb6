import { Inject, Injectable, Optional } from '@nestjs/common';
import type { AuditActor } from '@wharf/events';
import { JobBus } from '@wharf/platform/queue';
import { AppAudit } from './app-audit';
import { AppConvergeTrigger } from './app-converge.trigger';
import { APP_DROPLETS, AppDroplets } from './app-droplets.port';
import { AppRepository } from './app.repository';
import { DeploymentEntity } from './deployment.entity';
import { DeploymentRepository } from './deployment.repository';
import { ProcessRepository } from './process.repository';

/**
 * Takes a deployment back: the app returns to the droplet, version and revision it ran before,
 * so its old instances are the app's again (started anew where they already retired) and the
 * new ones retire as the old ones serve; the deployment is CANCELING until the scheduler sees
 * only the old version, then CANCELED. Used by a user's cancel and by the scheduler when an
 * instance of the new version fails.
 */
@Injectable()
export class DeploymentCanceler {
  constructor(
    private readonly deployments: DeploymentRepository,
    private readonly apps: AppRepository,
    private readonly processes: ProcessRepository,
    private readonly audit: AppAudit,
    private readonly converge: AppConvergeTrigger,
    private readonly jobs: JobBus,
    @Optional() @Inject(APP_DROPLETS) private readonly droplets?: AppDroplets,
  ) {}

  /** False when the deployment was no longer DEPLOYING or PAUSED (nothing changed). */
  async cancel(
    deployment: DeploymentEntity,
    input: { error?: string; actor?: AuditActor },
  ): Promise<boolean> {
    const previous = deployment.previousDropletGuid
      ? await this.droplets?.findStaged(deployment.previousDropletGuid)
      : null;
    return this.jobs.transaction(async (tx) => {
      const moved = await this.deployments.transition(
        deployment.guid,
        ['DEPLOYING', 'PAUSED'],
        { statusReason: 'CANCELING', ...(input.error ? { error: input.error } : {}) },
        tx.manager,
      );
      if (!moved) return false;
      const app = await this.apps.findByGuidUnscoped(deployment.appGuid, tx.manager);
      if (!app) return true;
      if (app.version === deployment.appVersion && deployment.previousAppVersion) {
        app.version = deployment.previousAppVersion;
        if (previous) {
          app.currentDropletGuid = previous.guid;
          app.dropletProcessTypes = previous.processTypes;
        }
        await this.apps.save(app, tx.manager);
        await this.processes.setRevision(app.guid, deployment.previousRevisionGuid, tx.manager);
      }
      // A user's cancel is audited; the platform's (a failed instance) says why in the
      // deployment itself, as a crash says it in app.crash, not in an audit.* event.
      if (input.actor) {
        await this.audit.record(
          app,
          'audit.app.deployment.cancel',
          input.actor,
          { droplet_guid: deployment.dropletGuid },
          tx.manager,
        );
      }
      await this.converge.now(app.guid, tx);
      return true;
    });
  }
}
