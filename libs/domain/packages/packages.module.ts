import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppsModule } from '@wharf/apps';
import { IdentityModule } from '@wharf/identity';
import { AppPackagesModule } from './app-packages.purger';
import { PackageCreateAction } from './package-create.action';
import { ARCHIVE_LIMITS, PackageUploadAction } from './package-upload.action';
import { PackageRepository } from './package.repository';
import { PACKAGES_ENTITIES } from './packages.entities';
import { PackagesQueryService } from './packages-query.service';
import { ResourcePool } from './resource-pool';
import { DEFAULT_ARCHIVE_LIMITS } from './safe-tree.writer';

/**
 * Packages: an app's uploaded bits, the one safe extractor every upload goes through, and the
 * resource pool (per organization). Used by api (uploads), staging (the bits to stage) and, through
 * `APP_PACKAGES`, by an app's deletion wherever apps is composed.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature(PACKAGES_ENTITIES),
    AppsModule,
    IdentityModule,
    AppPackagesModule,
  ],
  providers: [
    PackageRepository,
    PackagesQueryService,
    PackageCreateAction,
    PackageUploadAction,
    ResourcePool,
    { provide: ARCHIVE_LIMITS, useValue: DEFAULT_ARCHIVE_LIMITS },
  ],
  exports: [PackagesQueryService, PackageCreateAction, PackageUploadAction, ResourcePool],
})
export class PackagesModule {}
