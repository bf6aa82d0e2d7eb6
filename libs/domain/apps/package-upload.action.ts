import type { AuditActor } from '@wharf/events';
import { AppAudit } from './app-audit';
import { AppsQueryService } from './apps-query.service';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as tar from 'tar';
import { Inject, Injectable } from '@nestjs/common';
import type { Visibility } from '@wharf/identity';
import { BLOBSTORE, Blobstore } from '@wharf/platform/blobstore';
import { AppsErrorCode, appsError } from './apps.errors';
import { ArchiveSummary, inspectArchive } from './archive-inspector';
import { PackageEntity } from './package.entity';
import { PackageRepository } from './package.repository';
import { packageBlobKey, PackagesQueryService } from './packages-query.service';
import { extractArchive, ResourcePool, ResourceRef } from './resource-pool';

/**
 * Takes an uploaded archive (already on disk in the blobstore's scratch directory): checks every
 * entry, then keeps it with its sha256 and marks the package READY. An invalid archive is refused
 * and leaves the package AWAITING_UPLOAD, so the user can upload again.
 */
@Injectable()
export class PackageUploadAction {
  constructor(
    private readonly audit: AppAudit,
    private readonly apps: AppsQueryService,
    private readonly packages: PackageRepository,
    private readonly query: PackagesQueryService,
    private readonly pool: ResourcePool,
    @Inject(BLOBSTORE) private readonly blobs: Blobstore,
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
        throw appsError(
          AppsErrorCode.InvalidArchive,
          'Upload the package bits as a multipart form field named "bits" (or list matched "resources").',
        );
      }
      const pkg = await this.query.getPackageToChange(input.scope, input.guid);
      if (!(await this.packages.claimForUpload(pkg.guid))) {
        throw appsError(
          AppsErrorCode.PackageNotAwaitingUpload,
          `Package ${pkg.guid} cannot take bits: its state is ${pkg.state}, not AWAITING_UPLOAD. Create a new package.`,
        );
      }
      try {
        const { file, summary } = await this.assemble(
          input.uploadedFile,
          input.resources ?? [],
          scratch,
        );
        await this.pool.remember(file, summary.format);
        const stored = await this.blobs.putFile(packageBlobKey(pkg.guid), file);
        const app = await this.apps.getApp(input.scope, pkg.appGuid);
        await this.audit.record(app, 'audit.app.package.upload', input.actor, {
          package_guid: pkg.guid,
        });
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
      if (input.uploadedFile) await rm(input.uploadedFile, { force: true });
      await rm(scratch, { recursive: true, force: true });
    }
  }

  /**
   * The package as uploaded; or, with matched resources, the upload's files and the pooled ones
   * together in a new gzipped tar (the upload is checked before anything is unpacked).
   */
  private async assemble(
    uploaded: string | undefined,
    resources: ResourceRef[],
    scratch: string,
  ): Promise<{ file: string; summary: ArchiveSummary }> {
    if (resources.length === 0 && uploaded) {
      return { file: uploaded, summary: await inspectArchive(uploaded) };
    }
    const dir = join(scratch, 'app');
    await mkdir(dir);
    if (uploaded) await extractArchive(uploaded, (await inspectArchive(uploaded)).format, dir);
    await this.pool.materialize(dir, resources);
    const file = join(scratch, 'package.tgz');
    const entries = await readdir(dir);
    await tar.c({ gzip: true, cwd: dir, file, portable: true }, entries.length ? entries : ['.']);
    return { file, summary: await inspectArchive(file) };
  }
}
