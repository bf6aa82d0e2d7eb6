import { Injectable } from '@nestjs/common';
import { requireDeveloper, Visibility } from '@wharf/access';
import { IdentityQueryService } from '@wharf/identity';
import type { Page, PageRequest } from '@wharf/platform/db';
import { notFound } from '@wharf/platform/errors';
import { AppRepository } from './app.repository';
import { ProcessEntity } from './process.entity';
import { ProcessRepository } from './process.repository';

/** Reads of processes: a process is visible when its app is. */
@Injectable()
export class ProcessesQueryService {
  constructor(
    private readonly processes: ProcessRepository,
    private readonly apps: AppRepository,
    private readonly identity: IdentityQueryService,
  ) {}

  async listProcesses(
    scope: Visibility,
    filter: { types?: string[]; guids?: string[]; appGuids?: string[] },
    page: PageRequest,
  ): Promise<Page<ProcessEntity>> {
    const visible = await this.apps.guidsInScope(await this.identity.visibleSpaceGuids(scope));
    let appGuids: string[] | 'all' = visible;
    if (filter.appGuids) {
      appGuids =
        visible === 'all' ? filter.appGuids : filter.appGuids.filter((g) => visible.includes(g));
    }
    return this.processes.listPage(appGuids, filter, page);
  }

  async listForApp(
    scope: Visibility,
    appGuid: string,
    filter: { types?: string[] },
    page: PageRequest,
  ) {
    await this.visibleApp(scope, appGuid);
    return this.processes.listPage([appGuid], filter, page);
  }

  /** Every process of a visible app, without paging (an app has a handful). */
  async allOfApp(scope: Visibility, appGuid: string): Promise<ProcessEntity[]> {
    await this.visibleApp(scope, appGuid);
    return this.processes.listForApp(appGuid);
  }

  async getProcess(scope: Visibility, guid: string): Promise<ProcessEntity> {
    return (await this.findProcessWithApp(scope, guid)).process;
  }

  /** For a change: visible (else 404) and in a space where the caller develops (else 403). */
  async getProcessToChange(scope: Visibility, guid: string): Promise<ProcessEntity> {
    const { process, app } = await this.findProcessWithApp(scope, guid);
    requireDeveloper(scope, app.spaceGuid);
    return process;
  }

  private async findProcessWithApp(scope: Visibility, guid: string) {
    const process = await this.processes.findByGuidUnscoped(guid);
    if (!process) throw notFound('Process');
    const app = await this.apps.findVisible(
      await this.identity.visibleSpaceGuids(scope),
      process.appGuid,
    );
    if (!app) throw notFound('Process');
    return { process, app };
  }

  async getByType(scope: Visibility, appGuid: string, type: string): Promise<ProcessEntity> {
    await this.visibleApp(scope, appGuid);
    const process = await this.processes.findByAppAndType(appGuid, type);
    if (!process) throw notFound('Process');
    return process;
  }

  private async visibleApp(scope: Visibility, appGuid: string): Promise<void> {
    const app = await this.apps.findVisible(await this.identity.visibleSpaceGuids(scope), appGuid);
    if (!app) throw notFound('App');
  }
}
