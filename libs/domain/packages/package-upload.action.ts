import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as tar from 'tar';
import { Inject, Injectable } from '@nestjs/common';
import type { AuditActor } from '@wharf/events';
import { type Visibility } from '@wharf/access';
import { IdentityQueryService } from '@wharf/identity';
import { BLOBSTORE, Blobstore } from '@wharf/platform/blobstore';
import { AppAudit, AppsQueryService } from '@wharf/apps';
import { PackagesErrorCode, packagesError } from './packages.errors';
import { extractArchive, writerFor } from './archive-extractor';
import { PackageEntity } from './package.entity';
import { PackageRepository } from './package.repository';
import { packageBlobKey, PackagesQueryService } from './packages-query.service';
import { ResourcePool, ResourceRef } from './resource-pool';
import type { ArchiveLimits } from './safe-tree.writer';

/** Where the archive limits come from; the API provides the installation's. */
export const ARCHIVE_LIMITS = Symbol('ARCHIVE_LIMITS');

/**
 * Takes an uploaded archive (already on disk in the blobstore's scratch directory): unpacks it
 * with the one safe extractor into a fresh scratch tree, adds the matched pooled files to the
 * same tree, and keeps the tree re-packed as a gzipped tar we wrote ourselves — so whatever
 * reads the package later (staging, downloads) only ever sees checked entries. The package is
 * then READY with the tar's sha256. An invalid archive is refused (422 naming the entry), keeps
 * nothing and leaves the package AWAITING_UPLOAD, so the user can upload again.
 */
@Injectable()
export class PackageUploadAction {
  constructor(
    private readonly audit: AppAudit,
    private readonly apps: AppsQueryService,
    private readonly packages: PackageRepository,
    private readonly query: PackagesQueryService,
    private readonly pool: ResourcePool,
    private readonly identity: IdentityQueryService,
    @Inject(BLOBSTORE) private readonly blobs: Blobstore,
    @Inject(ARCHIVE_LIMITS) private readonly limits: ArchiveLimits,
  ) {}

  async execute(input: {
    scope: Visibility;
    guid: string;
    /** The uploaded archive; may be absent when every file is a matched resource. */
    uploadedFile?: string;
    /** Files the client did not send because the resource pool has them (resource_matches). */
    resources?: ResourceRef[];
    actor?: AuditActor;
  }): Promise<PackageEntity> {
    const scratch = await mkdtemp(join(await this.blobs.scratchDir(), 'upload-'));
    try {
      if (!input.uploadedFile && !input.resources?.length) {
        throw packagesError(
          PackagesErrorCode.InvalidArchive,
          'Upload the package bits as a multipart form field named "bits" (or list matched "resources").',
        );
      }
      const pkg = await this.query.getPackageToChange(input.scope, input.guid);
      if (!(await this.packages.claimForUpload(pkg.guid))) {
        throw packagesError(
          PackagesErrorCode.PackageNotAwaitingUpload,
          `Package ${pkg.guid} cannot take bits: its state is ${pkg.state}, not AWAITING_UPLOAD. Create a new package.`,
        );
      }
      try {
        const app = await this.apps.getApp(input.scope, pkg.appGuid);
        const organizationGuid = await this.identity.organizationGuidOfSpace(app.spaceGuid);
        const tree = join(scratch, 'app');
        await mkdir(tree);
        const writer = await writerFor(tree, input.uploadedFile, this.limits);
        if (input.uploadedFile) await extractArchive(input.uploadedFile, writer);
        await this.pool.materialize(organizationGuid, writer, input.resources ?? []);
        await writer.finish();
        const file = join(scratch, 'package.tgz');
        const top = await readdir(tree);
        // Links are stored as links (tar never follows them when creating).
        await tar.c(
          { gzip: { level: 1 }, cwd: tree, file, portable: true, follow: false },
          top.length ? top : ['.'],
        );
        const stored = await this.blobs.putFile(packageBlobKey(pkg.guid), file);
        // Pooling moves the tree's big files into the pool: after the package is made of them.
        await this.pool.remember(organizationGuid, tree);
        await this.audit.record(app, 'audit.app.package.upload', input.actor, {
          package_guid: pkg.guid,
        });
        return await this.packages.save({
          ...pkg,
          state: 'READY',
          checksumSha256: stored.sha256,
          sizeBytes: String(stored.sizeBytes),
          archiveFormat: 'tar',
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
      if (input.uploadedFile) await rm(input.uploadedFile, { force: true });
      await rm(scratch, { recursive: true, force: true });
    }
  }
}
