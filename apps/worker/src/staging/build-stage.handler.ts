import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { JobPayloads } from '@wharf/contracts';
import { isUuid } from '@wharf/platform/db';
import { JobHandler, JobProcessor } from '@wharf/platform/queue';
import { BuildStaging } from '@wharf/staging';

@Injectable()
@JobHandler('build.stage')
export class BuildStageHandler implements JobProcessor<'build.stage'> {
  constructor(private readonly staging: BuildStaging) {}

  async handle(payload: JobPayloads['build.stage']): Promise<void> {
    if (!isUuid(payload?.buildGuid)) throw new UnrecoverableError('build.stage needs buildGuid');
    await this.staging.run({ buildGuid: payload.buildGuid });
  }
}
