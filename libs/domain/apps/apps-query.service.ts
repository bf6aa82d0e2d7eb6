import { Injectable } from '@nestjs/common';
import { requireDeveloper, Visibility } from '@wharf/access';
import { IdentityQueryService } from '@wharf/identity';
import type { Page, PageRequest } from '@wharf/platform/db';
import { notFound } from '@wharf/platform/errors';
import { AppEntity } from './app.entity';
import { AppFilter, AppRepository } from './app.repository';

/** Reads of apps, always within the spaces the caller may see. */
@Injectable()
export class AppsQueryService {
  constructor(
    private readonly apps: AppRepository,
    private readonly identity: IdentityQueryService,
  ) {}

  async listApps(
    scope: Visibility,
    filter: AppFilter,
    page: PageRequest,
  ): Promise<Page<AppEntity>> {
    return this.apps.listPage(await this.identity.visibleSpaceGuids(scope), filter, page);
  }

  /** Null when the app does not exist or is not visible. */
  async findApp(scope: Visibility, guid: string): Promise<AppEntity | null> {
    return this.apps.findVisible(await this.identity.visibleSpaceGuids(scope), guid);
  }

  /** The guids of the apps the caller may see ('all' for admins). */
  async visibleAppGuids(scope: Visibility): Promise<string[] | 'all'> {
    return this.apps.guidsInScope(await this.identity.visibleSpaceGuids(scope));
  }

  /** Apps whose desired state is STARTED, across all spaces: the scheduler's periodic sweep. */
  startedAppGuidsUnscoped(): Promise<string[]> {
    return this.apps.startedGuidsUnscoped();
  }

  async getApp(scope: Visibility, guid: string): Promise<AppEntity> {
    const app = await this.apps.findVisible(await this.identity.visibleSpaceGuids(scope), guid);
    if (!app) throw notFound('App');
    return app;
  }

  /** For a change: visible (else 404) and in a space where the caller develops (else 403). */
  async getAppToChange(scope: Visibility, guid: string): Promise<AppEntity> {
    const app = await this.getApp(scope, guid);
    requireDeveloper(scope, app.spaceGuid);
    return app;
  }
}
