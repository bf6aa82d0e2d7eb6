import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppsModule } from '@wharf/apps';
import { CellsModule } from '@wharf/cells';
import { PackagesModule } from '@wharf/packages';
import { AppDropletsModule } from './app-droplets.reader';
import { AppStagingPurge } from './app-staging-purge';
import { BuildCreateAction } from './build-create.action';
import { BuildRepository } from './build.repository';
import { BuildStaging } from './build-staging';
import { BuildsQueryService } from './builds-query.service';
import { BuildpacksQueryService } from './buildpacks-query.service';
import { DropletAssignAction } from './droplet-assign.action';
import { DropletImageBuilder } from './droplet-image.builder';
import { DropletRepository } from './droplet.repository';
import { DropletExpiry } from './droplet-expiry';
import { RuntimeLayers } from './runtime-layers';
import { STAGING_ENTITIES } from './staging.entities';

/** Buildpacks, builds and droplets; staging itself and the purge of a deleted app's. Used by api and worker. */
@Module({
  imports: [
    TypeOrmModule.forFeature(STAGING_ENTITIES),
    AppsModule,
    PackagesModule,
    CellsModule,
    AppDropletsModule,
  ],
  providers: [
    BuildpacksQueryService,
    BuildRepository,
    DropletRepository,
    BuildsQueryService,
    BuildCreateAction,
    DropletAssignAction,
    DropletImageBuilder,
    RuntimeLayers,
    BuildStaging,
    DropletExpiry,
    AppStagingPurge,
  ],
  exports: [
    BuildpacksQueryService,
    BuildsQueryService,
    BuildCreateAction,
    DropletAssignAction,
    BuildStaging,
    AppStagingPurge,
  ],
})
export class StagingModule {}
