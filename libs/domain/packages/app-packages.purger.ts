import { Global, Inject, Injectable, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_PACKAGES, AppPackages } from '@wharf/apps';
import { BLOBSTORE, Blobstore } from '@wharf/platform/blobstore';
import { PackageEntity } from './package.entity';
import { PackageRepository } from './package.repository';
import { packageBlobKey } from './packages-query.service';

/** A deleted app's packages and their bits go with it; deleting what is gone is success. */
@Injectable()
export class AppPackagesPurger implements AppPackages {
  constructor(
    private readonly packages: PackageRepository,
    @Inject(BLOBSTORE) private readonly blobs: Blobstore,
  ) {}

  async purge(appGuid: string): Promise<void> {
    for (const guid of await this.packages.deleteForApp(appGuid)) {
      await this.blobs.delete(packageBlobKey(guid));
    }
  }
}

/** Makes the purger available to the apps context wherever `PackagesModule` is loaded. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([PackageEntity])],
  providers: [PackageRepository, { provide: APP_PACKAGES, useClass: AppPackagesPurger }],
  exports: [APP_PACKAGES],
})
export class AppPackagesModule {}
