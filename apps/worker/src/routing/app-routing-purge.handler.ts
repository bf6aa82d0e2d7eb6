import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { JobPayloads } from '@wharf/contracts';
import { isUuid } from '@wharf/platform/db';
import { JobHandler, JobProcessor } from '@wharf/platform/queue';
import { AppRoutingPurge } from '@wharf/routing';

@Injectable()
@JobHandler('app.routing_purge')
export class AppRoutingPurgeHandler implements JobProcessor<'app.routing_purge'> {
  constructor(private readonly purge: AppRoutingPurge) {}

  async handle(payload: JobPayloads['app.routing_purge']): Promise<void> {
    if (!isUuid(payload?.appGuid)) throw new UnrecoverableError('app.routing_purge needs appGuid');
    await this.purge.run({ appGuid: payload.appGuid });
  }
}
