import { Injectable } from '@nestjs/common';
import { AppsQueryService } from '@wharf/apps';
import { Visibility } from '@wharf/access';
import { Page, PageRequest } from '@wharf/platform/db';
import { notFound } from '@wharf/platform/errors';
import { BuildEntity, BuildState } from './build.entity';
import { BuildRepository } from './build.repository';
import { DropletEntity } from './droplet.entity';
import { DropletRepository } from './droplet.repository';

const narrow = (visible: string[] | 'all', wanted?: string[]): string[] | 'all' =>
  wanted === undefined
    ? visible
    : visible === 'all'
      ? wanted
      : wanted.filter((g) => visible.includes(g));

/** Reads of builds and droplets: visible when their app is. */
@Injectable()
export class BuildsQueryService {
  constructor(
    private readonly builds: BuildRepository,
    private readonly droplets: DropletRepository,
    private readonly apps: AppsQueryService,
  ) {}

  async listBuilds(
    scope: Visibility,
    filter: { guids?: string[]; states?: BuildState[]; appGuids?: string[] },
    page: PageRequest,
  ): Promise<Page<BuildEntity>> {
    const appGuids = narrow(await this.apps.visibleAppGuids(scope), filter.appGuids);
    return this.builds.listPage({ guids: filter.guids, states: filter.states, appGuids }, page);
  }

  async getBuild(scope: Visibility, guid: string): Promise<BuildEntity> {
    const build = await this.builds.findByGuidUnscoped(guid);
    if (!build || !(await this.apps.findApp(scope, build.appGuid))) throw notFound('Build');
    return build;
  }

  async listDroplets(
    scope: Visibility,
    filter: { guids?: string[]; appGuids?: string[] },
    page: PageRequest,
  ): Promise<Page<DropletEntity>> {
    const appGuids = narrow(await this.apps.visibleAppGuids(scope), filter.appGuids);
    return this.droplets.listPage({ guids: filter.guids, appGuids }, page);
  }

  async getDroplet(scope: Visibility, guid: string): Promise<DropletEntity> {
    const droplet = await this.droplets.findByGuidUnscoped(guid);
    if (!droplet || !(await this.apps.findApp(scope, droplet.appGuid))) throw notFound('Droplet');
    return droplet;
  }

  /** The droplet an app runs (GET /v3/apps/:guid/droplets/current). */
  async currentDropletOfApp(scope: Visibility, appGuid: string): Promise<DropletEntity> {
    const app = await this.apps.getApp(scope, appGuid);
    const droplet = app.currentDropletGuid
      ? await this.droplets.findByGuidUnscoped(app.currentDropletGuid)
      : null;
    if (!droplet) throw notFound('Droplet');
    return droplet;
  }
}
