import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { JobPayloads } from '@wharf/contracts';
import { isUuid } from '@wharf/platform/db';
import { JobHandler, JobProcessor, JobRecordRepository } from '@wharf/platform/queue';
import { AppRepository } from './app.repository';

@Injectable()
@JobHandler('app.delete')
export class AppDeleteProcessor implements JobProcessor<'app.delete'> {
  constructor(
    private readonly apps: AppRepository,
    private readonly jobs: JobRecordRepository,
  ) {}

  async handle(payload: JobPayloads['app.delete']): Promise<void> {
    if (!isUuid(payload?.jobGuid) || !isUuid(payload?.appGuid)) {
      throw new UnrecoverableError('app.delete: payload needs jobGuid and appGuid');
    }
    // Deleting what is already gone is success: the job may run twice.
    await this.apps.delete(payload.appGuid);
    await this.jobs.complete(payload.jobGuid);
  }
}
