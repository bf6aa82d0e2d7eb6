import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { JobPayloads } from '@wharf/contracts';
import { isUuid } from '@wharf/platform/db';
import { JobHandler, JobProcessor } from '@wharf/platform/queue';
import { AppConverger } from '@wharf/scheduling';

@Injectable()
@JobHandler('app.converge')
export class AppConvergeHandler implements JobProcessor<'app.converge'> {
  constructor(private readonly converger: AppConverger) {}

  async handle(payload: JobPayloads['app.converge']): Promise<void> {
    if (!isUuid(payload?.appGuid)) throw new UnrecoverableError('app.converge needs appGuid');
    await this.converger.converge(payload.appGuid);
  }
}
