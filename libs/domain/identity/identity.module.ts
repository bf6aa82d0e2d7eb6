import { createSecretKey } from 'node:crypto';
import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SpaceOrganizationLookup } from '@wharf/events';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';
import { IdentityAudit } from './identity-audit';
import { IdentityQueryService } from './identity-query.service';
import { OrganizationCreateAction } from './organization-create.action';
import { OrganizationDeleteAction } from './organization-delete.action';
import { OrganizationUpdateAction } from './organization-update.action';
import { OrganizationRepository } from './organization.repository';
import { LoginThrottle } from './login-throttle';
import { PasswordHasher } from './password-hasher';
import { PlatformBootstrapAction } from './platform-bootstrap.action';
import { RefreshTokenRepository } from './refresh-token.repository';
import { SpaceCreateAction } from './space-create.action';
import { SpaceDeleteAction } from './space-delete.action';
import { SpaceUpdateAction } from './space-update.action';
import { SpaceRepository } from './space.repository';
import { TokenService } from './token.service';
import { UserCreateAction } from './user-create.action';
import { UserPasswordChangeAction } from './user-password-change.action';
import { UserRepository } from './user.repository';
import { IDENTITY_ENTITIES } from './identity.entities';
import { RoleCreateAction } from './role-create.action';
import { RoleDeleteAction } from './role-delete.action';
import { RoleRepository } from './role.repository';
import { UserDeleteAction } from './user-delete.action';
import { VisibilityLoader } from './visibility.loader';
import { OrganizationQuotaRepository } from './organization-quota.repository';
import { OrganizationQuotaScope } from './organization-quota.scope';
import { QuotaQueryService } from './quota-query.service';
import { QuotaLock } from './quota.lock';
import {
  QuotaApplyAction,
  QuotaCreateAction,
  QuotaDeleteAction,
  QuotaRemoveAction,
  QuotaUpdateAction,
} from './quota.actions';
import { SpaceQuotaScope } from './space-quota.scope';
import { SpaceQuotaRepository } from './space-quota.repository';

import { OrganizationDeletion } from './organization-deletion';
import { RoleDeletion } from './role-deletion';
import { SpaceDeletion } from './space-deletion';
import { UserDeletion } from './user-deletion';

/** What identity's jobs do (the worker's handlers call them). */
const deletions = [OrganizationDeletion, SpaceDeletion, RoleDeletion, UserDeletion];

const actions = [
  OrganizationCreateAction,
  OrganizationUpdateAction,
  OrganizationDeleteAction,
  SpaceCreateAction,
  SpaceUpdateAction,
  SpaceDeleteAction,
  UserCreateAction,
  UserPasswordChangeAction,
  UserDeleteAction,
  RoleCreateAction,
  RoleDeleteAction,
  PlatformBootstrapAction,
  OrganizationQuotaScope,
  SpaceQuotaScope,
  QuotaCreateAction,
  QuotaUpdateAction,
  QuotaDeleteAction,
  QuotaApplyAction,
  QuotaRemoveAction,
];

/** Users, tokens, organizations and spaces: used by api, worker and admin. */
@Module({
  imports: [
    TypeOrmModule.forFeature(IDENTITY_ENTITIES),
    JwtModule.registerAsync({
      inject: [WHARF_CONFIG],
      useFactory: (config: WharfConfig) => ({
        // A key object, made once: given the text, jsonwebtoken tries it as a PEM public key on
        // every verify and falls back on the exception, a millisecond of each request.
        secret: createSecretKey(Buffer.from(config.auth.jwtSecret, 'utf8')),
        signOptions: { algorithm: 'HS256' },
      }),
    }),
  ],
  providers: [
    UserRepository,
    RefreshTokenRepository,
    OrganizationRepository,
    SpaceRepository,
    RoleRepository,
    OrganizationQuotaRepository,
    SpaceQuotaRepository,
    QuotaQueryService,
    QuotaLock,
    VisibilityLoader,
    PasswordHasher,
    LoginThrottle,
    IdentityAudit,
    TokenService,
    IdentityQueryService,
    // Events records in a space and its organization: identity tells it which one.
    { provide: SpaceOrganizationLookup, useExisting: IdentityQueryService },
    ...actions,
    ...deletions,
  ],
  exports: [
    TokenService,
    IdentityQueryService,
    SpaceOrganizationLookup,
    QuotaQueryService,
    QuotaLock,
    ...actions,
    ...deletions,
  ],
})
export class IdentityModule {}
