import { Injectable } from '@nestjs/common';
import { notAuthorized, Principal, Visibility } from '@wharf/access';
import type { AuditActor } from '@wharf/events';
import { notFound } from '@wharf/platform/errors';
import { UserJobLauncher } from '@wharf/platform/queue';
import { IdentityAudit } from './identity-audit';
import { IdentityErrorCode, identityError } from './identity.errors';
import { UserEntity } from './user.entity';
import { UserRepository } from './user.repository';

/**
 * DELETE /v3/users/:guid (admins): the user's sessions end at once (their tokens are refused from
 * the next request on); the login and its roles go in a job.
 */
@Injectable()
export class UserDeleteAction {
  constructor(
    private readonly users: UserRepository,
    private readonly launcher: UserJobLauncher,
    private readonly audit: IdentityAudit,
  ) {}

  async execute(input: {
    scope: Visibility;
    principal: Principal;
    actor: AuditActor;
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
    // The end of its sessions, the /v3/jobs row, its work and the request's event commit together.
    const { jobGuid } = await this.launcher.launch(
      'user.delete',
      {
        operation: 'user.delete',
        resourceType: 'user',
        resourceGuid: user.guid,
        userGuid: input.principal.userGuid,
      },
      { userGuid: user.guid },
      async (tx) => {
        await this.users.endSessions(user.guid, tx.manager);
        await this.audit.user(input.actor, 'delete-request', user, tx.manager);
      },
    );
    return { user, jobGuid };
  }
}
