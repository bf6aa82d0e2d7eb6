import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { AuditActor } from '@wharf/events';
import { JobBus } from '@wharf/platform/queue';
import { IdentityAudit } from './identity-audit';
import { IdentityErrorCode, identityError } from './identity.errors';
import { PasswordHasher } from './password-hasher';
import { UserEntity } from './user.entity';
import { UserRepository } from './user.repository';

export interface UserCreateInput {
  username: string;
  password: string;
  admin: boolean;
  /** Who is recorded on the audit event; null for the platform's own setup (none recorded). */
  actor: AuditActor | null;
}

@Injectable()
export class UserCreateAction {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly audit: IdentityAudit,
    private readonly jobs: JobBus,
  ) {}

  async execute(input: UserCreateInput): Promise<UserEntity> {
    if (await this.users.findByUsername(input.username)) {
      throw identityError(
        IdentityErrorCode.UsernameTaken,
        `User '${input.username}' already exists.`,
      );
    }
    const passwordHash = await this.hasher.hash(input.password);
    // The login and its event commit together.
    return this.jobs.transaction(async (tx) => {
      const user = await this.users.save(
        this.users.create({
          guid: randomUUID(),
          username: input.username,
          passwordHash,
          origin: 'uaa',
          admin: input.admin,
          labels: {},
          annotations: {},
        }),
        tx.manager,
      );
      await this.audit.user(input.actor, 'create', user, tx.manager);
      return user;
    });
  }
}
