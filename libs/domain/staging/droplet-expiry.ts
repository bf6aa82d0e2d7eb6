import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppDropletsInUse } from '@wharf/apps';
import { BLOBSTORE, Blobstore } from '@wharf/platform/blobstore';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';
import { ContainerRuntimeFactory } from '@wharf/platform/runtime';
import { CellsQueryService } from '@wharf/cells';
import { dropletBlobKey } from './staging-blob-keys';
import { DropletRepository } from './droplet.repository';

/**
 * CF's droplet expiry: an app keeps its `dropletsToKeep` newest STAGED droplets (5 by default),
 * so a rollback to a recent revision never restages; an older one that nothing may start
 * (`AppDropletsInUse`) is EXPIRED, its tarball and its image on every cell gone. Its revisions
 * then read as not deployable.
 */
@Injectable()
export class DropletExpiry {
  private readonly logger = new Logger('DropletExpiry');

  constructor(
    private readonly droplets: DropletRepository,
    private readonly inUse: AppDropletsInUse,
    private readonly cells: CellsQueryService,
    private readonly runtimes: ContainerRuntimeFactory,
    @Inject(BLOBSTORE) private readonly blobs: Blobstore,
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
  ) {}

  async expireOld(appGuid: string): Promise<void> {
    const staged = (await this.droplets.listForApp(appGuid))
      .filter((d) => d.state === 'STAGED')
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    const surplus = staged.slice(this.config.dropletsToKeep);
    if (surplus.length === 0) return;
    const used = await this.inUse.of(appGuid);
    const cells = await this.cells.all();
    for (const droplet of surplus.filter((d) => !used.has(d.guid))) {
      // Expired first: nothing deploys it while its bits go.
      await this.droplets.markExpired(droplet.guid);
      for (const cell of cells) {
        await this.runtimes
          .forCell(cell)
          .removeImage(droplet.image, { force: true })
          .catch((err: Error) =>
            this.logger.warn(
              `image of droplet ${droplet.guid} stays on ${cell.name}: ${err.message}`,
            ),
          );
      }
      await this.blobs.delete(dropletBlobKey(droplet.guid));
      this.logger.log(`droplet ${droplet.guid} of app ${appGuid} expired`);
    }
  }
}
