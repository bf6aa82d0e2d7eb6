import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { requireDeveloper, Visibility } from '@wharf/access';
import type { AuditActor } from '@wharf/events';
import { mergeMetadata, MetadataPatch, QuotaLock } from '@wharf/identity';
import { JobBus } from '@wharf/platform/queue';
import { AppApiLog } from './app-api-log';
import { AppAudit } from './app-audit';
import { AppConvergeTrigger } from './app-converge.trigger';
import { APP_DROPLETS, AppDroplets, StagedDroplet } from './app-droplets.port';
import { AppQuotaCheck } from './app-quota.check';
import { AppRepository } from './app.repository';
import { AppsErrorCode, appsError } from './apps.errors';
import { AppsQueryService } from './apps-query.service';
import { changes, AppRevisionRecorder } from './app-revision.recorder';
import { DeploymentEntity, DeploymentStrategy } from './deployment.entity';
import { DeploymentRepository } from './deployment.repository';
import { ensureDropletProcesses } from './droplet-processes';
import { ProcessRepository } from './process.repository';
import { RevisionEntity } from './revision.entity';
import { RevisionRepository } from './revision.repository';

export interface DeploymentCreateInput {
  scope: Visibility;
  appGuid: string;
  /** Both absent: the app's current droplet (a rolling restart). */
  dropletGuid?: string;
  /** A rollback: the revision's droplet, variables and commands, as a new revision. */
  revisionGuid?: string;
  strategy: DeploymentStrategy;
  maxInFlight: number;
  metadata?: MetadataPatch;
  actor?: AuditActor;
}

/**
 * POST /v3/deployments: the app takes the droplet (or the revision's) and a new version, which
 * the scheduler rolls out beside the old one (DeploymentsQueryService.rolloutOf). An ACTIVE
 * deployment of the app is SUPERSEDED. A stopped app is simply started with it: the deployment
 * is DEPLOYED at once, as in CF.
 */
@Injectable()
export class DeploymentCreateAction {
  constructor(
    private readonly query: AppsQueryService,
    private readonly apps: AppRepository,
    private readonly processes: ProcessRepository,
    private readonly deployments: DeploymentRepository,
    private readonly revisions: RevisionRepository,
    private readonly recorder: AppRevisionRecorder,
    private readonly quota: AppQuotaCheck,
    private readonly quotaLock: QuotaLock,
    private readonly audit: AppAudit,
    private readonly converge: AppConvergeTrigger,
    private readonly apiLog: AppApiLog,
    private readonly jobs: JobBus,
    @Optional() @Inject(APP_DROPLETS) private readonly droplets?: AppDroplets,
  ) {}

  async execute(input: DeploymentCreateInput): Promise<DeploymentEntity> {
    if (input.dropletGuid && input.revisionGuid) {
      throw appsError(AppsErrorCode.InvalidDeployment, 'Cannot set both droplet and revision.');
    }
    // CF names an app out of sight in the body as unusable (422), not as a missing resource.
    const visible = await this.query.findApp(input.scope, input.appGuid);
    if (!visible) {
      throw appsError(
        AppsErrorCode.InvalidDeployment,
        'Unable to use app. Ensure that the app exists and you have access to it.',
      );
    }
    requireDeveloper(input.scope, visible.spaceGuid);
    const deployment = await this.quotaLock.inSpace(visible.spaceGuid, async () => {
      const app = await this.query.getAppToChange(input.scope, input.appGuid);
      const { droplet, revision } = await this.target(app.guid, app.currentDropletGuid, input);
      const processes = await this.processes.listForApp(app.guid);
      const web = processes.find((p) => p.type === 'web');
      const started = app.state === 'STARTED';
      if (revision && started && web?.revisionGuid) {
        const deployed = await this.revisions.findByGuidUnscoped(web.revisionGuid);
        if (
          deployed &&
          changes(deployed, revision.dropletGuid, revision.environmentVariables, revision.commands)
            .length === 0
        ) {
          throw appsError(
            AppsErrorCode.InvalidDeployment,
            'Unable to rollback. The code and configuration you are rolling back to is the same as the deployed revision.',
          );
        }
      }
      if (!started) {
        await this.quota.check({
          app,
          after: processes,
          startedAfter: true,
          what: `starting app '${app.name}'`,
        });
      }
      const previous = {
        droplet: app.currentDropletGuid,
        version: started ? app.version : null,
        revision: started ? (web?.revisionGuid ?? null) : null,
      };
      app.currentDropletGuid = droplet.guid;
      app.dropletProcessTypes = droplet.processTypes;
      app.version = randomUUID();
      app.state = 'STARTED';
      // The app's new version, its revision, the deployment, its event and the converge commit
      // together.
      return this.jobs.transaction(async (tx) => {
        await ensureDropletProcesses(this.processes, app.guid, droplet.processTypes, tx.manager);
        await this.deployments.finalizeActive(app.guid, 'SUPERSEDED', tx.manager);
        const saved = await this.apps.save(app, tx.manager);
        if (revision) {
          // The processes take the revision's commands back, as CF's rollback leaves them: a
          // later restart records what the app then runs, not the commands rolled away from.
          for (const process of await this.processes.listForApp(app.guid, tx.manager)) {
            if (!(process.type in revision.commands)) continue;
            process.command = revision.commands[process.type] ?? null;
            await this.processes.save(process, tx.manager);
          }
        }
        const recorded = revision
          ? await this.recorder.recordRollback(saved, revision, input.actor, tx.manager)
          : await this.recorder.record(
              saved,
              await this.processes.listForApp(app.guid, tx.manager),
              input.actor,
              tx.manager,
            );
        const now = new Date();
        const deployment = await this.deployments.save(
          this.deployments.create({
            guid: randomUUID(),
            appGuid: app.guid,
            statusValue: started ? 'ACTIVE' : 'FINALIZED',
            statusReason: started ? 'DEPLOYING' : 'DEPLOYED',
            statusUpdatedAt: now,
            strategy: input.strategy,
            maxInFlight: input.maxInFlight,
            promoted: false,
            dropletGuid: droplet.guid,
            previousDropletGuid: previous.droplet,
            revisionGuid: recorded?.guid ?? null,
            revisionVersion: recorded?.version ?? null,
            previousRevisionGuid: previous.revision,
            appVersion: app.version ?? '',
            previousAppVersion: previous.version,
            lastHealthyAt: null,
            error: null,
            labels: mergeMetadata({}, input.metadata?.labels),
            annotations: mergeMetadata({}, input.metadata?.annotations),
          }),
          tx.manager,
        );
        await this.audit.record(
          saved,
          'audit.app.deployment.create',
          input.actor,
          {
            droplet_guid: droplet.guid,
            ...(recorded ? { revision_guid: recorded.guid } : {}),
            type: input.strategy,
            max_in_flight: input.maxInFlight,
          },
          tx.manager,
        );
        await this.converge.now(app.guid, tx);
        return deployment;
      });
    });
    await this.apiLog.write(
      input.appGuid,
      `Creating deployment ${deployment.guid} for app with guid ${input.appGuid} (${input.strategy})`,
    );
    return deployment;
  }

  /** The droplet the deployment runs and, for a rollback, the revision it goes back to. */
  private async target(
    appGuid: string,
    currentDropletGuid: string | null,
    input: DeploymentCreateInput,
  ): Promise<{ droplet: StagedDroplet; revision: RevisionEntity | null }> {
    if (input.revisionGuid) {
      const revision = await this.revisions.findByGuidUnscoped(input.revisionGuid);
      if (!revision || revision.appGuid !== appGuid) {
        throw appsError(
          AppsErrorCode.InvalidDeployment,
          'The revision does not exist or does not belong to this app.',
        );
      }
      const droplet = await this.droplets?.findStaged(revision.dropletGuid);
      if (!droplet) {
        throw appsError(
          AppsErrorCode.InvalidDeployment,
          'Unable to deploy this revision, the droplet for this revision no longer exists.',
        );
      }
      return { droplet, revision };
    }
    if (input.dropletGuid) {
      const droplet = await this.droplets?.findStaged(input.dropletGuid);
      if (!droplet || droplet.appGuid !== appGuid) {
        throw appsError(
          AppsErrorCode.InvalidDroplet,
          'Unable to assign current droplet. Ensure the droplet exists and belongs to this app.',
        );
      }
      return { droplet, revision: null };
    }
    const droplet = currentDropletGuid ? await this.droplets?.findStaged(currentDropletGuid) : null;
    if (!droplet) {
      throw appsError(
        AppsErrorCode.InvalidDroplet,
        'Invalid droplet. Please specify a droplet in the request or set a current droplet for the app.',
      );
    }
    return { droplet, revision: null };
  }
}
