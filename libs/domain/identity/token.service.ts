import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';
import { JobBus } from '@wharf/platform/queue';
import type { TokenResponse } from '@wharf/contracts';
import { IdentityAudit } from './identity-audit';
import { IdentityErrorCode, OAuthError, identityError } from './identity.errors';
import { LoginThrottle, LoginThrottledError } from './login-throttle';
import { PasswordHasher } from './password-hasher';
import type { Principal } from '@wharf/access';
import { RefreshTokenRepository } from './refresh-token.repository';
import {
  audienceOf,
  CLOUD_CONTROLLER_AUDIENCE,
  isCurrentGeneration,
  TokenClaims,
} from './token-claims';
import { UserEntity } from './user.entity';
import { UserRepository } from './user.repository';
import { VisibilityLoader } from './visibility.loader';

const BASE_SCOPES = ['openid', 'cloud_controller.read', 'cloud_controller.write', 'uaa.user'];
const ADMIN_SCOPES = ['cloud_controller.admin'];

/**
 * UAA-compatible tokens: HS256 JWTs signed with the configured key. Access tokens are checked
 * against the user's row, which each request reads anyway (admin flag, roles): a token of an
 * older generation (issued before a password change) or of a deleted user is refused there.
 * Refresh tokens are also recorded by jti so they can be revoked one by one.
 */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly users: UserRepository,
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly visibility: VisibilityLoader,
    private readonly audit: IdentityAudit,
    private readonly jobs: JobBus,
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
  ) {}

  /**
   * grant_type=password. `address`: the client's, for brute-force throttling (LoginThrottle):
   * too many wrong passwords for a user or from an address answer 429 for a while.
   */
  async passwordGrant(
    username: string,
    password: string,
    clientId: string,
    address: string,
  ): Promise<TokenResponse> {
    try {
      await this.throttle.check(username, address);
    } catch (err) {
      if (err instanceof LoginThrottledError)
        throw new OAuthError('too_many_requests', err.message, 429, err.retryAfterSeconds);
      throw err;
    }
    const user = await this.users.findByUsername(username);
    if (!(await this.hasher.verify(password, user?.passwordHash)) || !user) {
      await this.throttle.failed(username, address);
      throw new OAuthError('unauthorized', 'Bad credentials', 401);
    }
    await this.throttle.succeeded(username);
    return this.issue(user, clientId, 'password');
  }

  /** grant_type=refresh_token, by the client the refresh token was issued to (as in UAA). */
  async refreshGrant(refreshToken: string, clientId: string): Promise<TokenResponse> {
    const claims = await this.verifyClaims(refreshToken).catch(() => null);
    if (!claims || claims.token_use !== 'refresh') {
      throw new OAuthError('invalid_token', 'Invalid refresh token.', 401);
    }
    if (claims.cid !== clientId) {
      throw new OAuthError(
        'invalid_grant',
        `Wrong client for this refresh token: ${claims.cid}`,
        400,
      );
    }
    const user = await this.users.findByGuid(claims.sub);
    if (
      !user ||
      !isCurrentGeneration(claims, user) ||
      !(await this.refreshTokens.isActive(claims.jti, user.guid))
    ) {
      throw new OAuthError('invalid_token', 'Invalid refresh token (revoked or expired).', 401);
    }
    return this.issue(user, clientId, 'refresh_token', refreshToken);
  }

  /**
   * Revokes one refresh token (logout), recorded as its user's `audit.user.logout` with the
   * request's id; unknown or malformed tokens are ignored. Returns whose token it was, when it was
   * one.
   */
  async revokeRefreshToken(
    refreshToken: string,
    requestId?: string,
  ): Promise<{ userGuid: string; username: string } | null> {
    const claims = await this.verifyClaims(refreshToken).catch(() => null);
    if (claims?.token_use !== 'refresh') return null;
    const user = { guid: claims.sub, username: claims.user_name };
    // The revocation and its event commit together.
    await this.jobs.transaction(async (tx) => {
      await this.refreshTokens.revoke(claims.jti, tx.manager);
      await this.audit.user(
        { guid: user.guid, type: 'user', name: user.username, requestId },
        'logout',
        user,
        tx.manager,
      );
    });
    return { userGuid: user.guid, username: user.username };
  }

  /**
   * Verifies a bearer access token meant for the Cloud Controller and returns the caller, or throws
   * CF-InvalidAuthToken. The user is read on every request, so a token of a deleted user, or of
   * one whose password has changed since, is refused by every API process from that moment.
   */
  async authenticate(accessToken: string): Promise<Principal> {
    const claims = await this.verifyClaims(accessToken, CLOUD_CONTROLLER_AUDIENCE).catch(
      () => null,
    );
    if (!claims || claims.token_use !== 'access') {
      throw identityError(IdentityErrorCode.InvalidAuthToken, 'Invalid Auth Token');
    }
    const user = await this.users.findByGuid(claims.sub);
    if (!user || !isCurrentGeneration(claims, user))
      throw identityError(IdentityErrorCode.InvalidAuthToken, 'Invalid Auth Token');
    return {
      userGuid: user.guid,
      username: user.username,
      admin: user.admin,
      scopes: claims.scope,
      visibility: await this.visibility.forUser(user),
    };
  }

  private async issue(
    user: UserEntity,
    clientId: string,
    grantType: string,
    existingRefresh?: string,
  ): Promise<TokenResponse> {
    const scopes = user.admin ? [...BASE_SCOPES, ...ADMIN_SCOPES] : BASE_SCOPES;
    const common = {
      sub: user.guid,
      user_id: user.guid,
      user_name: user.username,
      origin: user.origin,
      scope: scopes,
      client_id: clientId,
      cid: clientId,
      grant_type: grantType,
      zid: 'uaa',
      token_generation: user.tokenGeneration,
    };
    const accessJti = randomUUID();
    const access = await this.jwt.signAsync(
      { ...common, jti: accessJti, token_use: 'access' } satisfies TokenClaims,
      {
        expiresIn: this.config.auth.accessTokenTtl,
        issuer: this.issuer(),
        audience: audienceOf(scopes, clientId),
      },
    );
    let refresh = existingRefresh;
    if (!refresh) {
      const refreshJti = randomUUID();
      refresh = await this.jwt.signAsync(
        { ...common, jti: refreshJti, token_use: 'refresh' } satisfies TokenClaims,
        {
          expiresIn: this.config.auth.refreshTokenTtl,
          issuer: this.issuer(),
          audience: [clientId],
        },
      );
      await this.refreshTokens.record(
        refreshJti,
        user.guid,
        new Date(Date.now() + this.config.auth.refreshTokenTtl * 1000),
      );
    }
    return {
      access_token: access,
      token_type: 'bearer',
      refresh_token: refresh,
      expires_in: this.config.auth.accessTokenTtl,
      scope: scopes.join(' '),
      jti: accessJti,
    };
  }

  /** `audience`: one the token's `aud` must name. */
  private verifyClaims(token: string, audience?: string): Promise<TokenClaims> {
    return this.jwt.verifyAsync<TokenClaims>(token, {
      issuer: this.issuer(),
      algorithms: ['HS256'],
      ...(audience ? { audience } : {}),
    });
  }

  private issuer(): string {
    return `${this.config.api.url}/oauth/token`;
  }
}
