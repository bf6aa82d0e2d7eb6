import type { TokenResponse } from '@wharf/contracts';
import type { CliConfig, CliConfigStore } from '../config/cli-config.store';
import { CliError } from '../errors/cli.error';
import { UaaError } from '../errors/uaa.error';
import { ApiClient, type TokenProvider } from '../http/api.client';
import { uaaUrlOf } from '../http/root-document';
import type { FetchFn } from '../http/transport';
import { UaaClient } from '../http/uaa.client';

/** Refresh this long before the recorded expiry, so a token does not die in flight. */
const EXPIRY_SKEW_MS = 30_000;

export interface StoredTokenProviderOptions {
  store: CliConfigStore;
  apiUrl: string;
  fetch?: FetchFn;
  now?: () => number;
}

/** The token fields of the config for a fresh grant. */
export function storedTokens(
  res: TokenResponse,
  now: number,
): Pick<CliConfig, 'accessToken' | 'refreshToken' | 'tokenExpiresAt'> {
  return {
    accessToken: res.access_token,
    refreshToken: res.refresh_token,
    tokenExpiresAt: new Date(now + res.expires_in * 1000).toISOString(),
  };
}

/**
 * Tokens from the config file: refreshed (and written back) when expired or when the API rejects
 * them. The token endpoint is found through `GET /` only when a refresh is actually needed.
 */
export class StoredTokenProvider implements TokenProvider {
  private readonly now: () => number;

  constructor(private readonly options: StoredTokenProviderOptions) {
    this.now = options.now ?? Date.now;
  }

  async accessToken(): Promise<string> {
    const config = await this.options.store.load();
    if (!config.accessToken) throw CliError.notLoggedIn();
    const expiresAt = config.tokenExpiresAt ? Date.parse(config.tokenExpiresAt) : NaN;
    if (Number.isFinite(expiresAt) && expiresAt - EXPIRY_SKEW_MS <= this.now()) {
      return this.refresh();
    }
    return config.accessToken;
  }

  async refresh(): Promise<string> {
    const config = await this.options.store.load();
    if (!config.refreshToken) throw CliError.notLoggedIn();
    const { apiUrl, fetch } = this.options;
    const root = await new ApiClient({ baseUrl: apiUrl, fetch }).root();
    let granted: TokenResponse;
    try {
      granted = await new UaaClient(uaaUrlOf(root, apiUrl), fetch).refreshGrant(
        config.refreshToken,
      );
    } catch (err) {
      if (err instanceof UaaError) throw CliError.notLoggedIn();
      throw err;
    }
    const tokens = storedTokens(granted, this.now());
    await this.options.store.update((c) => ({ ...c, ...tokens }));
    return granted.access_token;
  }
}
