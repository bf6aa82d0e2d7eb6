import { Inject, Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { requireDeveloper, Visibility } from '@wharf/access';
import { BLOBSTORE, Blobstore } from '@wharf/platform/blobstore';
import type { Page, PageRequest } from '@wharf/platform/db';
import { notFound } from '@wharf/platform/errors';
import { AppsQueryService } from '@wharf/apps';
import { PackagesErrorCode, packagesError } from './packages.errors';
import { PackageEntity, PackageState } from './package.entity';
import { PackageRepository } from './package.repository';

export const packageBlobKey = (guid: string): string => `packages/${guid}`;

/** Reads of packages: a package is visible when its app is. */
@Injectable()
export class PackagesQueryService {
  constructor(
    private readonly packages: PackageRepository,
    private readonly apps: AppsQueryService,
    @Inject(BLOBSTORE) private readonly blobs: Blobstore,
  ) {}

  async listPackages(
    scope: Visibility,
    filter: { guids?: string[]; states?: PackageState[]; appGuids?: string[] },
    page: PageRequest,
  ): Promise<Page<PackageEntity>> {
    const visible = await this.apps.visibleAppGuids(scope);
    let appGuids: string[] | 'all' = visible;
    if (filter.appGuids)
      appGuids =
        visible === 'all' ? filter.appGuids : filter.appGuids.filter((g) => visible.includes(g));
    return this.packages.listPage({ guids: filter.guids, states: filter.states, appGuids }, page);
  }

  async listPackagesOfApp(
    scope: Visibility,
    appGuid: string,
    filter: { guids?: string[]; states?: PackageState[] },
    page: PageRequest,
  ): Promise<Page<PackageEntity>> {
    const app = await this.apps.findApp(scope, appGuid);
    if (!app) throw notFound('App');
    return this.packages.listPage({ ...filter, appGuids: [app.guid] }, page);
  }

  async getPackage(scope: Visibility, guid: string): Promise<PackageEntity> {
    return (await this.findPackageWithApp(scope, guid)).pkg;
  }

  /** For a change: visible (else 404) and in a space where the caller develops (else 403). */
  async getPackageToChange(scope: Visibility, guid: string): Promise<PackageEntity> {
    const { pkg, app } = await this.findPackageWithApp(scope, guid);
    requireDeveloper(scope, app.spaceGuid);
    return pkg;
  }

  private async findPackageWithApp(scope: Visibility, guid: string) {
    const pkg = await this.packages.findByGuidUnscoped(guid);
    if (!pkg) throw notFound('Package');
    const app = await this.apps.findApp(scope, pkg.appGuid);
    if (!app) throw notFound('Package');
    return { pkg, app };
  }

  async openBits(
    scope: Visibility,
    guid: string,
  ): Promise<{ pkg: PackageEntity; stream: Readable }> {
    // An app's source may hold secrets: space developers (and admins) only, as in CF.
    const pkg = await this.getPackageToChange(scope, guid);
    const stream = pkg.state === 'READY' ? await this.blobs.get(packageBlobKey(pkg.guid)) : null;
    if (!stream) {
      throw packagesError(
        PackagesErrorCode.PackageBitsMissing,
        `Package ${pkg.guid} has no bits to download (state ${pkg.state}).`,
      );
    }
    return { pkg, stream };
  }
}
