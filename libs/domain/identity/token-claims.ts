/** The Cloud Controller's resource id: an access token for this API must name it in `aud`. */
export const CLOUD_CONTROLLER_AUDIENCE = 'cloud_controller';

/** What Wharf signs into its JWTs besides the registered claims (`iss`, `aud`, `exp`, `iat`). */
export interface TokenClaims {
  jti: string;
  sub: string;
  user_id: string;
  user_name: string;
  origin: string;
  scope: string[];
  client_id: string;
  cid: string;
  grant_type: string;
  zid: string;
  /** Distinguishes access from refresh tokens signed with the same key. */
  token_use: 'access' | 'refresh';
  /** The user's token generation when the token was issued (see isCurrentGeneration). */
  token_generation?: number;
}

/**
 * A token's audience as UAA sets it: the resource id of each scope (what precedes its first dot,
 * `cloud_controller.read` → `cloud_controller`) and the client the token was issued to.
 */
export function audienceOf(scopes: readonly string[], clientId: string): string[] {
  const resources = scopes.map((scope) => scope.split('.')[0] ?? scope);
  return [...new Set([...resources, clientId])];
}

/**
 * Whether a token was issued in the user's current generation, i.e. since their last password
 * change. Tokens signed before generations existed carry none: they belong to generation 0, which
 * only lasts until the user's first change.
 */
export function isCurrentGeneration(
  claims: Pick<TokenClaims, 'token_generation'>,
  user: { tokenGeneration: number },
): boolean {
  const issued: unknown = claims.token_generation ?? 0;
  return typeof issued === 'number' && issued === user.tokenGeneration;
}
