import { Injectable } from '@nestjs/common';
import { notFound } from '@wharf/platform/errors';
import { UserJobLauncher } from '@wharf/platform/queue';
import { IdentityErrorCode, identityError } from './identity.errors';
import type { Principal } from '@wharf/access';
import { UserEntity } from './user.entity';
import { UserRepository } from './user.repository';
import { notAuthorized, Visibility } from '@wharf/access';

/**
 * DELETE /v3/users/:guid (admins): the user's sessions end at once (their tokens are refused from
 * the next request on); the login and its roles go in a job.
 */
@Injectable()
export class UserDeleteAction {
  constructor(
    private readonly users: UserRepository,
    private readonly launcher: UserJobLauncher,
  ) {}

  async execute(input: {
    scope: Visibility;
    principal: Principal;
    guid: string;
  }): Promise<{ user: UserEntity; jobGuid: string }> {
    const user = await this.users.findByGuid(input.guid);
    if (!user) throw notFound('User');
    if (!input.scope.all) throw notAuthorized();
    if (user.guid === input.principal.userGuid) {
      throw identityError(
        IdentityErrorCode.UserNotDeletable,
        'You cannot delete yourself: log in as another admin to delete this user.',
      );
    }
    await this.users.endSessions(user.guid);
    const { jobGuid } = await this.launcher.launch(
      'user.delete',
      {
        operation: 'user.delete',
        resourceType: 'user',
        resourceGuid: user.guid,
        userGuid: input.principal.userGuid,
      },
      { userGuid: user.guid },
    );
    return { user, jobGuid };
  }
}
