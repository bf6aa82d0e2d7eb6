import type { Command } from 'commander';
import type { TokenResponse } from '@wharf/contracts';
import { storedTokens } from '../auth/stored-token.provider';
import type { CliContext } from '../cli.context';
import type { TargetRef } from '../config/cli-config.store';
import { CliError } from '../errors/cli.error';
import { UaaError } from '../errors/uaa.error';
import type { ApiClient } from '../http/api.client';
import { findOrg, findSpace, listOrgs, listSpaces } from '../http/identity.queries';
import { uaaUrlOf } from '../http/root-document';
import { UaaClient } from '../http/uaa.client';
import { normalizeApiUrl } from '../http/url';
import { showTarget } from './target-summary.view';

interface LoginOptions {
  api?: string;
  username?: string;
  password?: string;
  org?: string;
  space?: string;
}

/**
 * `wharf login`: password grant against the token endpoint named by the root document, then
 * target the org and space given, or the only ones there are (like cf).
 */
export class LoginCommand {
  constructor(private readonly ctx: CliContext) {}

  register(program: Command): void {
    program
      .command('login')
      .alias('l')
      .description('Log user in')
      .option('-a, --api <url>', 'API endpoint (e.g. https://api.example.com)')
      .option('-u, --username <user>', 'Username (prompted for when omitted)')
      .option('-p, --password <password>', 'Password (prompted for when omitted)')
      .option('-o, --org <org>', 'Org')
      .option('-s, --space <space>', 'Space')
      .addHelpText(
        'after',
        '\nWithout a terminal on stdin, pass -u and -p (and -a unless an endpoint is set).',
      )
      .action((options: LoginOptions) => this.run(options));
  }

  async run(options: LoginOptions): Promise<void> {
    const { ui, store, prompter } = this.ctx;
    const previous = await store.load();
    const target = await this.endpoint(options.api ?? previous.target);
    const missingCredentials = options.username === undefined || options.password === undefined;
    if (missingCredentials && !prompter.interactive) {
      throw new CliError(
        "Username and password are required when stdin is not a terminal: use 'wharf login -u USER -p PASS'.",
      );
    }

    ui.say(`API endpoint: ${target}`);
    ui.say();
    const root = await this.ctx.publicClient(target).root();
    const username = options.username ?? (await prompter.input('Email:'));
    const password = options.password ?? (await prompter.password('Password:'));

    ui.say('Authenticating...');
    const granted = await this.authenticate(
      new UaaClient(uaaUrlOf(root, target), this.ctx.fetch),
      username,
      password,
    );
    // A new login replaces the whole session, including what the previous user targeted.
    await store.save({ target, user: username, ...storedTokens(granted, this.ctx.now()) });
    ui.say();
    ui.ok();
    ui.say();

    const client = this.ctx.apiClient(target);
    const org = await this.chooseOrg(client, options.org);
    if (org) {
      await store.update((c) => ({ ...c, org }));
      ui.say(`Targeted org ${org.name}.`);
      ui.say();
      const space = await this.chooseSpace(client, org, options.space);
      if (space) {
        await store.update((c) => ({ ...c, space }));
        ui.say(`Targeted space ${space.name}.`);
        ui.say();
      }
    } else if (options.space !== undefined) {
      throw CliError.noOrg();
    }
    const config = await store.load();
    await showTarget(this.ctx, { ...config, target });
  }

  private async endpoint(given: string | undefined): Promise<string> {
    if (given) return normalizeApiUrl(given);
    if (!this.ctx.prompter.interactive) {
      throw new CliError("No API endpoint set. Use 'wharf login -a URL' to set an endpoint.");
    }
    return normalizeApiUrl(await this.ctx.prompter.input('API endpoint:'));
  }

  private async authenticate(
    uaa: UaaClient,
    username: string,
    password: string,
  ): Promise<TokenResponse> {
    try {
      return await uaa.passwordGrant(username, password);
    } catch (err) {
      if (err instanceof UaaError && err.rejected) {
        throw new CliError('Credentials were rejected, please try again.');
      }
      throw err;
    }
  }

  private async chooseOrg(
    client: ApiClient,
    name: string | undefined,
  ): Promise<TargetRef | undefined> {
    if (name !== undefined) {
      const org = await findOrg(client, name);
      if (!org) throw new CliError(`Organization '${name}' not found.`);
      return { guid: org.guid, name: org.name };
    }
    const orgs = await listOrgs(client);
    const only = orgs.length === 1 ? orgs[0] : undefined;
    return only ? { guid: only.guid, name: only.name } : undefined;
  }

  private async chooseSpace(
    client: ApiClient,
    org: TargetRef,
    name: string | undefined,
  ): Promise<TargetRef | undefined> {
    if (name !== undefined) {
      const space = await findSpace(client, org.guid, name);
      if (!space) throw new CliError(`Space '${name}' not found.`);
      return { guid: space.guid, name: space.name };
    }
    const spaces = await listSpaces(client, org.guid);
    const only = spaces.length === 1 ? spaces[0] : undefined;
    return only ? { guid: only.guid, name: only.name } : undefined;
  }
}
