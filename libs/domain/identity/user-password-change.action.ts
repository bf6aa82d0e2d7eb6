import { Injectable } from '@nestjs/common';
import type { Principal } from '@wharf/access';
import type { AuditActor } from '@wharf/events';
import { notFound } from '@wharf/platform/errors';
import { JobBus } from '@wharf/platform/queue';
import { IdentityAudit } from './identity-audit';
import { OAuthError } from './identity.errors';
import { PasswordHasher } from './password-hasher';
import { RefreshTokenRepository } from './refresh-token.repository';
import { UserRepository } from './user.repository';

export const MIN_PASSWORD_LENGTH = 8;

/**
 * A new password (UAA's PUT /Users/:id/password, what `cf passwd` calls). Users change their own
 * with the old one; admins may set anyone's. Every session of the user ends: access tokens issued
 * before are refused from the next request on (the user's token generation moves on) and refresh
 * tokens are revoked, so the user, this session included, logs in again with the new password.
 */
@Injectable()
export class UserPasswordChangeAction {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly audit: IdentityAudit,
    private readonly jobs: JobBus,
  ) {}

  async execute(input: {
    principal: Principal;
    actor: AuditActor;
    userGuid: string;
    oldPassword?: string;
    password: string;
  }): Promise<void> {
    const self = input.principal.userGuid === input.userGuid;
    if (!self && !input.principal.admin) throw notFound('User');
    const user = await this.users.findByGuid(input.userGuid);
    if (!user) throw notFound('User');
    if (!input.principal.admin || self) {
      if (!(await this.hasher.verify(input.oldPassword ?? '', user.passwordHash)))
        throw new OAuthError('unauthorized', 'Old password is incorrect', 401);
    }
    if (input.password.length < MIN_PASSWORD_LENGTH)
      throw new OAuthError(
        'invalid_request',
        `The new password must have at least ${MIN_PASSWORD_LENGTH} characters.`,
        400,
      );
    const passwordHash = await this.hasher.hash(input.password);
    // The password, the end of every session and the event commit together.
    await this.jobs.transaction(async (tx) => {
      await this.users.changePassword(user.guid, passwordHash, tx.manager);
      await this.refreshTokens.revokeAllForUser(user.guid, tx.manager);
      await this.audit.user(input.actor, 'password_change', user, tx.manager);
    });
  }
}
