import { Inject, Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { JobPayloads } from '@wharf/contracts';
import { AppsQueryService } from '@wharf/apps';
import { PLATFORM_VISIBILITY } from '@wharf/access';
import { BLOBSTORE, Blobstore } from '@wharf/platform/blobstore';
import { isUuid } from '@wharf/platform/db';
import { LogStore } from '@wharf/platform/logstream';
import { JobHandler, JobProcessor } from '@wharf/platform/queue';
import { ContainerRuntimeFactory } from '@wharf/platform/runtime';
import { CellsQueryService } from '@wharf/cells';
import { buildCacheBlobKey, dropletBlobKey } from './build-stage.processor';
import { BuildRepository } from './build.repository';
import { DropletRepository } from './droplet.repository';

/**
 * After an app is deleted: its droplets (rows, tarballs and images on every cell), builds, build
 * cache and log lines go. Idempotent; an app that exists again (a retried job racing a new app
 * of the same guid cannot happen: guids are never reused) is left alone.
 */
@Injectable()
@JobHandler('app.staging_purge')
export class AppStagingPurgeProcessor implements JobProcessor<'app.staging_purge'> {
  constructor(
    private readonly apps: AppsQueryService,
    private readonly builds: BuildRepository,
    private readonly droplets: DropletRepository,
    private readonly cells: CellsQueryService,
    private readonly runtimes: ContainerRuntimeFactory,
    private readonly logs: LogStore,
    @Inject(BLOBSTORE) private readonly blobs: Blobstore,
  ) {}

  async handle(payload: JobPayloads['app.staging_purge']): Promise<void> {
    if (!isUuid(payload?.appGuid)) throw new UnrecoverableError('app.staging_purge needs appGuid');
    if (await this.apps.findApp(PLATFORM_VISIBILITY, payload.appGuid)) return;
    const cells = await this.cells.all();
    for (const droplet of await this.droplets.listForApp(payload.appGuid)) {
      for (const cell of cells) {
        await this.runtimes.forCell(cell).removeImage(droplet.image, { force: true });
      }
      await this.blobs.delete(dropletBlobKey(droplet.guid));
      await this.droplets.delete(droplet.guid);
    }
    await this.builds.deleteForApp(payload.appGuid);
    await this.blobs.delete(buildCacheBlobKey(payload.appGuid));
    await this.logs.drop(payload.appGuid);
  }
}
