import type { Command } from 'commander';
import type { CliContext } from '../cli.context';
import type { TargetRef } from '../config/cli-config.store';
import { CliError } from '../errors/cli.error';
import { findOrg, findSpace, listSpaces } from '../http/identity.queries';
import { showTarget } from './target-summary.view';

interface TargetOptions {
  org?: string;
  space?: string;
}

/** `wharf target [-o ORG] [-s SPACE]`: show or change the targeted org and space. */
export class TargetCommand {
  constructor(private readonly ctx: CliContext) {}

  register(program: Command): void {
    program
      .command('target')
      .alias('t')
      .description('Set or view the targeted org or space')
      .option('-o, --org <org>', 'Organization')
      .option('-s, --space <space>', 'Space')
      .action((options: TargetOptions) => this.run(options));
  }

  async run(options: TargetOptions): Promise<void> {
    let config = await this.ctx.loggedIn();
    if (options.org !== undefined || options.space !== undefined) {
      const client = this.ctx.apiClient(config.target);
      let org: TargetRef | undefined = config.org;
      let space: TargetRef | undefined = config.space;
      if (options.org !== undefined) {
        const found = await findOrg(client, options.org);
        if (!found) throw new CliError(`Organization '${options.org}' not found.`);
        org = { guid: found.guid, name: found.name };
        space = undefined;
        if (options.space === undefined) {
          // cf targets the only space of an org, which saves a second command.
          const spaces = await listSpaces(client, org.guid);
          const only = spaces.length === 1 ? spaces[0] : undefined;
          if (only) space = { guid: only.guid, name: only.name };
        }
      }
      if (options.space !== undefined) {
        if (!org) throw CliError.noOrg();
        const found = await findSpace(client, org.guid, options.space);
        if (!found) throw new CliError(`Space '${options.space}' not found.`);
        space = { guid: found.guid, name: found.name };
      }
      const updated = await this.ctx.store.update((c) => ({ ...c, org, space }));
      config = { ...config, ...updated };
    }
    await showTarget(this.ctx, config);
  }
}
