import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppsModule } from '@wharf/apps';
import { PackagesModule } from '@wharf/packages';
import { CellsModule } from '@wharf/cells';
import { AppStagingPurgeProcessor } from './app-staging-purge.processor';
import { BuildStageProcessor } from './build-stage.processor';
import { BuildRepository } from './build.repository';
import { DropletImageBuilder } from './droplet-image.builder';
import { DropletRepository } from './droplet.repository';
import { STAGING_ENTITIES } from './staging.entities';

/** The staging job; imported only by apps/worker. */
@Module({
  imports: [TypeOrmModule.forFeature(STAGING_ENTITIES), AppsModule, CellsModule, PackagesModule],
  providers: [
    BuildRepository,
    DropletRepository,
    DropletImageBuilder,
    BuildStageProcessor,
    AppStagingPurgeProcessor,
  ],
})
export class StagingWorkerModule {}
