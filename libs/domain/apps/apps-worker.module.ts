import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppApiLog } from './app-api-log';
import { AppAudit } from './app-audit';
import { AppConvergeTrigger } from './app-converge.trigger';
import { AppDeleteProcessor } from './app-delete.processor';
import { AppRepository } from './app.repository';
import { ProcessRepository } from './process.repository';
import { AppSpaceContentsCounter } from './app-space-contents.counter';
import { APPS_ENTITIES } from './apps.entities';

/** The apps context's job processors; imported only by apps/worker. */
@Module({
  imports: [TypeOrmModule.forFeature(APPS_ENTITIES)],
  providers: [
    AppRepository,
    ProcessRepository,
    AppDeleteProcessor,
    AppSpaceContentsCounter,
    AppConvergeTrigger,
    AppApiLog,
    AppAudit,
  ],
})
export class AppsWorkerModule {}
