import { Module } from '@nestjs/common';
import { AppsModule } from '@wharf/apps';
import { AppDeleteHandler } from './app-delete.handler';

/** The apps context's jobs: `app.delete`. */
@Module({ imports: [AppsModule], providers: [AppDeleteHandler] })
export class AppsJobsModule {}
