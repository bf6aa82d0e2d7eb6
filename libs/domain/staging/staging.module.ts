import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppsModule } from '@wharf/apps';
import { PackagesModule } from '@wharf/packages';
import { BuildCreateAction } from './build-create.action';
import { BuildRepository } from './build.repository';
import { BuildsQueryService } from './builds-query.service';
import { BuildpacksQueryService } from './buildpacks-query.service';
import { DropletAssignAction } from './droplet-assign.action';
import { DropletRepository } from './droplet.repository';
import { STAGING_ENTITIES } from './staging.entities';

/** Buildpacks, builds and droplets. Used by api and worker. */
@Module({
  imports: [TypeOrmModule.forFeature(STAGING_ENTITIES), AppsModule, PackagesModule],
  providers: [
    BuildpacksQueryService,
    BuildRepository,
    DropletRepository,
    BuildsQueryService,
    BuildCreateAction,
    DropletAssignAction,
  ],
  exports: [BuildpacksQueryService, BuildsQueryService, BuildCreateAction, DropletAssignAction],
})
export class StagingModule {}
