import { Injectable } from '@nestjs/common';
import { requireDeveloper, Visibility } from '@wharf/access';
import type { Page, PageRequest } from '@wharf/platform/db';
import { notFound } from '@wharf/platform/errors';
import { AppEntity } from './app.entity';
import { AppsQueryService } from './apps-query.service';
import { DEFAULT_ROLLOUT, Rollout } from './deployment-rollout';
import { DeploymentEntity } from './deployment.entity';
import { DeploymentFilter, DeploymentRepository } from './deployment.repository';

/** Reads of deployments: a deployment is visible when its app is. */
@Injectable()
export class DeploymentsQueryService {
  constructor(
    private readonly deployments: DeploymentRepository,
    private readonly apps: AppsQueryService,
  ) {}

  async get(scope: Visibility, guid: string): Promise<DeploymentEntity> {
    const deployment = await this.deployments.findByGuidUnscoped(guid);
    if (!deployment || !(await this.apps.findApp(scope, deployment.appGuid)))
      throw notFound('Deployment');
    return deployment;
  }

  /** For a change (cancel, continue, metadata): visible (else 404), developer (else 403). */
  async getToChange(scope: Visibility, guid: string): Promise<DeploymentEntity> {
    const deployment = await this.get(scope, guid);
    requireDeveloper(scope, (await this.apps.getApp(scope, deployment.appGuid)).spaceGuid);
    return deployment;
  }

  async list(
    scope: Visibility,
    filter: DeploymentFilter,
    page: PageRequest,
  ): Promise<Page<DeploymentEntity>> {
    return this.deployments.listPage(await this.apps.visibleAppGuids(scope), filter, page);
  }

  /**
   * How the scheduler rolls out the app's current version: as its ACTIVE deployment says when
   * that deployment is about this version (a deployment being canceled is about the version it
   * goes back to), else instance by instance.
   */
  async rolloutOf(app: AppEntity): Promise<Rollout> {
    const deployment = await this.deployments.findActive(app.guid);
    if (!deployment) return DEFAULT_ROLLOUT;
    const canceling = deployment.statusReason === 'CANCELING';
    const version = canceling ? deployment.previousAppVersion : deployment.appVersion;
    if (version !== app.version) return DEFAULT_ROLLOUT;
    const waiting = deployment.strategy === 'canary' && !deployment.promoted && !canceling;
    return {
      deploymentGuid: deployment.guid,
      maxInFlight: deployment.maxInFlight,
      cap: waiting ? 1 : null,
    };
  }
}
