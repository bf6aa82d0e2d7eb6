import type { TokenResponse } from '@wharf/contracts';
import { UaaError } from '../errors/uaa.error';
import { isRecord, parseJson } from './json';
import { type FetchFn, send } from './transport';
import { resolveUrl } from './url';

/** cf's public OAuth client: id `cf`, empty secret. */
const CLIENT_BASIC = `Basic ${Buffer.from('cf:').toString('base64')}`;

/** The UAA-compatible token endpoint found through the root document's `links.login`. */
export class UaaClient {
  constructor(
    private readonly baseUrl: string,
    private readonly fetchFn: FetchFn = fetch,
  ) {}

  passwordGrant(username: string, password: string): Promise<TokenResponse> {
    return this.token({ grant_type: 'password', username, password });
  }

  refreshGrant(refreshToken: string): Promise<TokenResponse> {
    return this.token({ grant_type: 'refresh_token', refresh_token: refreshToken });
  }

  /** Best effort (logout): the answer is ignored, a transport failure is not. */
  async revoke(token: string): Promise<void> {
    await send(
      this.fetchFn,
      resolveUrl(this.baseUrl, '/oauth/revoke'),
      this.form({ token, token_type_hint: 'refresh_token' }),
      5_000,
    );
  }

  private async token(fields: Record<string, string>): Promise<TokenResponse> {
    const res = await send(
      this.fetchFn,
      resolveUrl(this.baseUrl, '/oauth/token'),
      this.form(fields),
    );
    const body = parseJson(await res.text());
    if (res.ok && isTokenResponse(body)) return body;
    if (isRecord(body) && typeof body.error === 'string') {
      const description =
        typeof body.error_description === 'string' ? body.error_description : body.error;
      throw new UaaError(res.status, body.error, description);
    }
    throw new UaaError(
      res.status,
      'unexpected_response',
      `Unexpected response from the token endpoint: HTTP ${res.status} ${res.statusText}`,
    );
  }

  private form(fields: Record<string, string>): RequestInit {
    return {
      method: 'POST',
      headers: {
        Authorization: CLIENT_BASIC,
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
      },
      body: new URLSearchParams(fields).toString(),
    };
  }
}

function isTokenResponse(body: unknown): body is TokenResponse {
  return (
    isRecord(body) &&
    typeof body.access_token === 'string' &&
    typeof body.refresh_token === 'string' &&
    typeof body.expires_in === 'number'
  );
}
