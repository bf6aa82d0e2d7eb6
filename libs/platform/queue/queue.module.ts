import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { JobBus } from './job-bus';
import { JobOutboxEntity } from './job-outbox.entity';
import { JobRecordEntity } from './job-record.entity';
import { JobRecordRepository } from './job-record.repository';
import { UserJobLauncher } from './user-job.launcher';

/** Enqueueing and job records; used by api and worker alike. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([JobRecordEntity, JobOutboxEntity])],
  providers: [JobBus, JobRecordRepository, UserJobLauncher],
  exports: [JobBus, JobRecordRepository, UserJobLauncher],
})
export class QueueModule {}
