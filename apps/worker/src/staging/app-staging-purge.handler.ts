import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { JobPayloads } from '@wharf/contracts';
import { isUuid } from '@wharf/platform/db';
import { JobHandler, JobProcessor } from '@wharf/platform/queue';
import { AppStagingPurge } from '@wharf/staging';

@Injectable()
@JobHandler('app.staging_purge')
export class AppStagingPurgeHandler implements JobProcessor<'app.staging_purge'> {
  constructor(private readonly purge: AppStagingPurge) {}

  async handle(payload: JobPayloads['app.staging_purge']): Promise<void> {
    if (!isUuid(payload?.appGuid)) throw new UnrecoverableError('app.staging_purge needs appGuid');
    await this.purge.run({ appGuid: payload.appGuid });
  }
}
