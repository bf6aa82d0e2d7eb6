import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { JobPayloads } from '@wharf/contracts';
import { SpaceDeletion } from '@wharf/identity';
import { isUuid } from '@wharf/platform/db';
import { JobHandler, JobProcessor } from '@wharf/platform/queue';

@Injectable()
@JobHandler('space.delete')
export class SpaceDeleteHandler implements JobProcessor<'space.delete'> {
  constructor(private readonly deletion: SpaceDeletion) {}

  async handle(payload: JobPayloads['space.delete']): Promise<void> {
    if (!isUuid(payload?.jobGuid) || !isUuid(payload?.spaceGuid)) {
      throw new UnrecoverableError('space.delete: payload needs jobGuid and spaceGuid');
    }
    await this.deletion.run({ jobGuid: payload.jobGuid, spaceGuid: payload.spaceGuid });
  }
}
