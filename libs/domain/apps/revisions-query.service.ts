import { Inject, Injectable, Optional } from '@nestjs/common';
import { requireDeveloper, Visibility } from '@wharf/access';
import { IdentityQueryService } from '@wharf/identity';
import type { Page, PageRequest } from '@wharf/platform/db';
import { notFound } from '@wharf/platform/errors';
import { APP_DROPLETS, AppDroplets } from './app-droplets.port';
import { AppEntity } from './app.entity';
import { AppRepository } from './app.repository';
import { AppsQueryService } from './apps-query.service';
import { ProcessRepository } from './process.repository';
import { RevisionEntity } from './revision.entity';
import { RevisionRepository } from './revision.repository';
import { DeploymentRepository } from './deployment.repository';

/** A revision and whether its droplet can still be deployed. */
export interface RevisionView {
  revision: RevisionEntity;
  deployable: boolean;
}

/** Reads of revisions: a revision is visible when its app is; its variables are secrets. */
@Injectable()
export class RevisionsQueryService {
  constructor(
    private readonly revisions: RevisionRepository,
    private readonly processes: ProcessRepository,
    private readonly apps: AppsQueryService,
    private readonly appRows: AppRepository,
    private readonly identity: IdentityQueryService,
    private readonly deployments: DeploymentRepository,
    @Optional() @Inject(APP_DROPLETS) private readonly droplets?: AppDroplets,
  ) {}

  async get(scope: Visibility, guid: string): Promise<RevisionView> {
    const [view] = await this.withDeployable([(await this.visible(scope, guid)).revision]);
    if (!view) throw notFound('Revision');
    return view;
  }

  /** For a change (its metadata): visible (else 404), in a space the caller develops (else 403). */
  async getToChange(scope: Visibility, guid: string): Promise<RevisionEntity> {
    const { revision, app } = await this.visible(scope, guid);
    requireDeveloper(scope, app.spaceGuid);
    return revision;
  }

  /** The variables a revision runs with: space developers only, as the app's own (403). */
  async environmentVariables(scope: Visibility, guid: string): Promise<RevisionEntity> {
    return this.getToChange(scope, guid);
  }

  async listForApp(
    scope: Visibility,
    appGuid: string,
    filter: { versions?: number[]; guids?: string[] },
    page: PageRequest,
  ): Promise<Page<RevisionView>> {
    await this.apps.getApp(scope, appGuid);
    return this.pageWithDeployable(await this.revisions.listPage(appGuid, filter, page));
  }

  /**
   * The revisions the app's processes run: none while it is stopped, as in CF; during a rollout
   * the one it replaces as well, whose instances still serve.
   */
  async deployed(
    scope: Visibility,
    appGuid: string,
    page: PageRequest,
  ): Promise<Page<RevisionView>> {
    const app = await this.apps.getApp(scope, appGuid);
    const active = await this.deployments.findActive(appGuid);
    const rollingFrom =
      active && active.statusReason !== 'CANCELING' ? active.previousRevisionGuid : null;
    const guids =
      app.state === 'STARTED'
        ? [
            ...new Set([
              ...(await this.processes.listForApp(appGuid)).flatMap((p) =>
                p.revisionGuid ? [p.revisionGuid] : [],
              ),
              ...(rollingFrom ? [rollingFrom] : []),
            ]),
          ]
        : [];
    if (guids.length === 0) return { items: [], total: 0, request: page };
    return this.pageWithDeployable(await this.revisions.listPage(appGuid, { guids }, page));
  }

  /** The revision and its app; 404 Revision when either is out of the caller's sight. */
  private async visible(
    scope: Visibility,
    guid: string,
  ): Promise<{ revision: RevisionEntity; app: AppEntity }> {
    const revision = await this.revisions.findByGuidUnscoped(guid);
    const app =
      revision &&
      (await this.appRows.findVisible(
        await this.identity.visibleSpaceGuids(scope),
        revision.appGuid,
      ));
    if (!revision || !app) throw notFound('Revision');
    return { revision, app };
  }

  private async pageWithDeployable(page: Page<RevisionEntity>): Promise<Page<RevisionView>> {
    return { ...page, items: await this.withDeployable(page.items) };
  }

  private async withDeployable(revisions: RevisionEntity[]): Promise<RevisionView[]> {
    const staged =
      (await this.droplets?.stagedAmong([...new Set(revisions.map((r) => r.dropletGuid))])) ??
      new Set<string>();
    return revisions.map((revision) => ({
      revision,
      deployable: staged.has(revision.dropletGuid),
    }));
  }
}
