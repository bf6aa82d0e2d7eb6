import { Module } from '@nestjs/common';
import { SchedulingModule } from '@wharf/scheduling';
import { AppConvergeHandler } from './app-converge.handler';
import { TaskConvergeHandler } from './task-converge.handler';

/** Scheduling's jobs: `app.converge` and `task.converge`. */
@Module({ imports: [SchedulingModule], providers: [AppConvergeHandler, TaskConvergeHandler] })
export class SchedulingJobsModule {}
