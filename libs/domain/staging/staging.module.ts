import { Module } from '@nestjs/common';
import { BuildpacksQueryService } from './buildpacks-query.service';

/** Buildpacks and, with the rest of the push issue, builds and droplets. */
@Module({ providers: [BuildpacksQueryService], exports: [BuildpacksQueryService] })
export class StagingModule {}
