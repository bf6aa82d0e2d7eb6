import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { JobPayloads } from '@wharf/contracts';
import { isUuid } from '@wharf/platform/db';
import { JobHandler, JobProcessor } from '@wharf/platform/queue';
import { AppServicesPurge } from '@wharf/services';

@Injectable()
@JobHandler('app.services_purge')
export class AppServicesPurgeHandler implements JobProcessor<'app.services_purge'> {
  constructor(private readonly purge: AppServicesPurge) {}

  async handle(payload: JobPayloads['app.services_purge']): Promise<void> {
    if (!isUuid(payload?.appGuid)) throw new UnrecoverableError('app.services_purge needs appGuid');
    await this.purge.run({ appGuid: payload.appGuid });
  }
}
