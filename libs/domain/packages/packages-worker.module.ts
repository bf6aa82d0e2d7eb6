import { Module } from '@nestjs/common';
import { AppPackagesModule } from './app-packages.purger';

/** What the worker needs of packages: removing a deleted app's packages; imported only by apps/worker. */
@Module({ imports: [AppPackagesModule] })
export class PackagesWorkerModule {}
