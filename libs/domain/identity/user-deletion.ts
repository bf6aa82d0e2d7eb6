import { Injectable } from '@nestjs/common';
import { JobRecordRepository } from '@wharf/platform/queue';
import { RefreshTokenRepository } from './refresh-token.repository';
import { UserRepository } from './user.repository';

/**
 * The work of a `user.delete` job: their refresh tokens stop working and their roles go with them
 * (cascade).
 */
@Injectable()
export class UserDeletion {
  constructor(
    private readonly users: UserRepository,
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly jobs: JobRecordRepository,
  ) {}

  async run({ jobGuid, userGuid }: { jobGuid: string; userGuid: string }): Promise<void> {
    await this.refreshTokens.revokeAllForUser(userGuid);
    await this.users.delete(userGuid);
    await this.jobs.complete(jobGuid);
  }
}
