import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { JobPayloads } from '@wharf/contracts';
import { isUuid } from '@wharf/platform/db';
import { JobHandler, JobProcessor, JobRecordRepository } from '@wharf/platform/queue';
import { RefreshTokenRepository } from './refresh-token.repository';
import { UserRepository } from './user.repository';

/** Deletes a user: their refresh tokens stop working and their roles go with them (cascade). */
@Injectable()
@JobHandler('user.delete')
export class UserDeleteProcessor implements JobProcessor<'user.delete'> {
  constructor(
    private readonly users: UserRepository,
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly jobs: JobRecordRepository,
  ) {}

  async handle(payload: JobPayloads['user.delete']): Promise<void> {
    if (!isUuid(payload?.jobGuid) || !isUuid(payload?.userGuid)) {
      throw new UnrecoverableError('user.delete: payload needs jobGuid and userGuid');
    }
    await this.refreshTokens.revokeAllForUser(payload.userGuid);
    await this.users.delete(payload.userGuid);
    await this.jobs.complete(payload.jobGuid);
  }
}
