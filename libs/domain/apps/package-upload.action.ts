import { rm } from 'node:fs/promises';
import { Inject, Injectable } from '@nestjs/common';
import type { Visibility } from '@wharf/identity';
import { BLOBSTORE, Blobstore } from '@wharf/platform/blobstore';
import { AppsErrorCode, appsError } from './apps.errors';
import { inspectArchive } from './archive-inspector';
import { PackageEntity } from './package.entity';
import { PackageRepository } from './package.repository';
import { packageBlobKey, PackagesQueryService } from './packages-query.service';

/**
 * Takes an uploaded archive (already on disk in the blobstore's scratch directory): checks every
 * entry, then keeps it with its sha256 and marks the package READY. An invalid archive is refused
 * and leaves the package AWAITING_UPLOAD, so the user can upload again.
 */
@Injectable()
export class PackageUploadAction {
  constructor(
    private readonly packages: PackageRepository,
    private readonly query: PackagesQueryService,
    @Inject(BLOBSTORE) private readonly blobs: Blobstore,
  ) {}

  async execute(input: {
    scope: Visibility;
    guid: string;
    uploadedFile: string;
  }): Promise<PackageEntity> {
    try {
      const pkg = await this.query.getPackage(input.scope, input.guid);
      if (!(await this.packages.claimForUpload(pkg.guid))) {
        throw appsError(
          AppsErrorCode.PackageNotAwaitingUpload,
          `Package ${pkg.guid} cannot take bits: its state is ${pkg.state}, not AWAITING_UPLOAD. Create a new package.`,
        );
      }
      try {
        const summary = await inspectArchive(input.uploadedFile);
        const stored = await this.blobs.putFile(packageBlobKey(pkg.guid), input.uploadedFile);
        return await this.packages.save({
          ...pkg,
          state: 'READY',
          checksumSha256: stored.sha256,
          sizeBytes: String(stored.sizeBytes),
          archiveFormat: summary.format,
          error: null,
        });
      } catch (err) {
        // Refused or failed half-way: keep nothing and let the user upload again.
        await this.blobs.delete(packageBlobKey(pkg.guid));
        await this.packages.save({ ...pkg, state: 'AWAITING_UPLOAD' });
        throw err;
      }
    } finally {
      // Whatever happened, nothing of the upload stays in scratch space.
      await rm(input.uploadedFile, { force: true });
    }
  }
}
