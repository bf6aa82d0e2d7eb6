import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppsQueryService } from '@wharf/apps';
import { PLATFORM_VISIBILITY } from '@wharf/access';
import { BLOBSTORE, Blobstore } from '@wharf/platform/blobstore';
import { LogStore } from '@wharf/platform/logstream';
import { ContainerRuntimeFactory } from '@wharf/platform/runtime';
import { CellsQueryService } from '@wharf/cells';
import { buildCacheBlobKey, dropletBlobKey } from './staging-blob-keys';
import { BuildRepository } from './build.repository';
import { DropletRepository } from './droplet.repository';
import { RuntimeLayers } from './runtime-layers';

/**
 * The work of an `app.staging_purge` job, after an app is deleted: its droplets (rows, tarballs and images on every cell), builds, build
 * cache and log lines go. Idempotent; an app that exists again (a retried job racing a new app
 * of the same guid cannot happen: guids are never reused) is left alone.
 */
@Injectable()
export class AppStagingPurge {
  private readonly logger = new Logger('AppStagingPurge');

  constructor(
    private readonly apps: AppsQueryService,
    private readonly builds: BuildRepository,
    private readonly droplets: DropletRepository,
    private readonly cells: CellsQueryService,
    private readonly runtimes: ContainerRuntimeFactory,
    private readonly logs: LogStore,
    private readonly layers: RuntimeLayers,
    @Inject(BLOBSTORE) private readonly blobs: Blobstore,
  ) {}

  async run({ appGuid }: { appGuid: string }): Promise<void> {
    if (await this.apps.findApp(PLATFORM_VISIBILITY, appGuid)) return;
    const cells = await this.cells.all();
    for (const droplet of await this.droplets.listForApp(appGuid)) {
      for (const cell of cells) {
        await this.runtimes.forCell(cell).removeImage(droplet.image, { force: true });
      }
      await this.blobs.delete(dropletBlobKey(droplet.guid));
      await this.droplets.delete(droplet.guid);
    }
    // Runtime layers that no droplet is built on any more go after a day (runtime-layers.ts).
    for (const cell of cells) {
      await this.layers.prune(this.runtimes.forCell(cell)).catch((err: Error) => {
        this.logger.warn(`runtime layers of cell ${cell.name} not pruned: ${err.message}`);
      });
    }
    await this.builds.deleteForApp(appGuid);
    await this.blobs.delete(buildCacheBlobKey(appGuid));
    await this.logs.drop(appGuid);
  }
}
