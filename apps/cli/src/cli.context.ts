import { StoredTokenProvider } from './auth/stored-token.provider';
import type { CliConfig, CliConfigStore, TargetRef } from './config/cli-config.store';
import { CliError } from './errors/cli.error';
import { ApiClient } from './http/api.client';
import type { FetchFn } from './http/transport';
import type { Prompter } from './ui/terminal.prompter';
import type { TerminalUi } from './ui/terminal.ui';

export type TargetedConfig = CliConfig & { target: string };
export type LoggedInConfig = TargetedConfig & { accessToken: string; user: string };
export type OrgTargetedConfig = LoggedInConfig & { org: TargetRef };

export interface CliContextOptions {
  store: CliConfigStore;
  ui: TerminalUi;
  prompter: Prompter;
  version: string;
  fetch?: FetchFn;
  now?: () => number;
  jobPollIntervalMs?: number;
}

/**
 * What every command needs: the config, the terminal, the prompts and API clients bound to the
 * stored endpoint and session. Commands set `exitCode` for non-error exits (curl --fail).
 */
export class CliContext {
  exitCode = 0;

  constructor(private readonly options: CliContextOptions) {}

  get store(): CliConfigStore {
    return this.options.store;
  }

  get ui(): TerminalUi {
    return this.options.ui;
  }

  get prompter(): Prompter {
    return this.options.prompter;
  }

  get version(): string {
    return this.options.version;
  }

  now(): number {
    return (this.options.now ?? Date.now)();
  }

  get fetch(): FetchFn | undefined {
    return this.options.fetch;
  }

  async targeted(): Promise<TargetedConfig> {
    const config = await this.store.load();
    if (!config.target) throw CliError.noApi();
    return { ...config, target: config.target };
  }

  async loggedIn(): Promise<LoggedInConfig> {
    const config = await this.targeted();
    if (!config.accessToken) throw CliError.notLoggedIn();
    return { ...config, accessToken: config.accessToken, user: config.user ?? 'unknown user' };
  }

  async orgTargeted(): Promise<OrgTargetedConfig> {
    const config = await this.loggedIn();
    if (!config.org) throw CliError.noOrg();
    return { ...config, org: config.org };
  }

  /** Unauthenticated client (root document, before login). */
  publicClient(apiUrl: string): ApiClient {
    return new ApiClient({ ...this.clientOptions(), baseUrl: apiUrl });
  }

  /** Client that sends the stored token and refreshes it as needed. */
  apiClient(apiUrl: string): ApiClient {
    return new ApiClient({ ...this.clientOptions(), baseUrl: apiUrl, tokens: this.tokens(apiUrl) });
  }

  tokens(apiUrl: string): StoredTokenProvider {
    return new StoredTokenProvider({
      store: this.store,
      apiUrl,
      fetch: this.options.fetch,
      now: () => this.now(),
    });
  }

  /** Asks before a destructive step; without a terminal the user must pass -f. */
  async confirmOrForce(question: string, force: boolean): Promise<boolean> {
    if (force) return true;
    if (!this.prompter.interactive) {
      throw new CliError(
        'Cannot ask for confirmation: stdin is not a terminal. Use -f to skip confirmation.',
      );
    }
    return this.prompter.confirm(question);
  }

  private clientOptions(): {
    fetch?: FetchFn;
    userAgent: string;
    jobPollIntervalMs?: number;
  } {
    return {
      fetch: this.options.fetch,
      userAgent: `wharf/${this.version}`,
      jobPollIntervalMs: this.options.jobPollIntervalMs,
    };
  }
}
