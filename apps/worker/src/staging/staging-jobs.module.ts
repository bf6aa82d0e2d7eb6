import { Module } from '@nestjs/common';
import { StagingModule } from '@wharf/staging';
import { AppStagingPurgeHandler } from './app-staging-purge.handler';
import { BuildStageHandler } from './build-stage.handler';

/** Staging's jobs: `build.stage`, `app.staging_purge`. */
@Module({ imports: [StagingModule], providers: [BuildStageHandler, AppStagingPurgeHandler] })
export class StagingJobsModule {}
