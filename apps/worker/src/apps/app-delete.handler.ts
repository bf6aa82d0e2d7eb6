import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { JobPayloads } from '@wharf/contracts';
import { AppDeletion } from '@wharf/apps';
import { isUuid } from '@wharf/platform/db';
import { JobHandler, JobProcessor } from '@wharf/platform/queue';

@Injectable()
@JobHandler('app.delete')
export class AppDeleteHandler implements JobProcessor<'app.delete'> {
  constructor(private readonly deletion: AppDeletion) {}

  async handle(payload: JobPayloads['app.delete']): Promise<void> {
    if (!isUuid(payload?.jobGuid) || !isUuid(payload?.appGuid)) {
      throw new UnrecoverableError('app.delete: payload needs jobGuid and appGuid');
    }
    await this.deletion.run({ jobGuid: payload.jobGuid, appGuid: payload.appGuid });
  }
}
