import { Module } from '@nestjs/common';
import { SchedulingModule } from '@wharf/scheduling';
import { AppConvergeHandler } from './app-converge.handler';

/** Scheduling's job: `app.converge`. */
@Module({ imports: [SchedulingModule], providers: [AppConvergeHandler] })
export class SchedulingJobsModule {}
