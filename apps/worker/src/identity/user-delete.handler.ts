import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { JobPayloads } from '@wharf/contracts';
import { UserDeletion } from '@wharf/identity';
import { isUuid } from '@wharf/platform/db';
import { JobHandler, JobProcessor } from '@wharf/platform/queue';

@Injectable()
@JobHandler('user.delete')
export class UserDeleteHandler implements JobProcessor<'user.delete'> {
  constructor(private readonly deletion: UserDeletion) {}

  async handle(payload: JobPayloads['user.delete']): Promise<void> {
    if (!isUuid(payload?.jobGuid) || !isUuid(payload?.userGuid)) {
      throw new UnrecoverableError('user.delete: payload needs jobGuid and userGuid');
    }
    await this.deletion.run({ jobGuid: payload.jobGuid, userGuid: payload.userGuid });
  }
}
