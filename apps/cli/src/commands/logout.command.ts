import type { Command } from 'commander';
import type { CliContext } from '../cli.context';
import { uaaUrlOf } from '../http/root-document';
import { UaaClient } from '../http/uaa.client';

/** `wharf logout`: forget the session (keep the endpoint) and revoke the refresh token if we can. */
export class LogoutCommand {
  constructor(private readonly ctx: CliContext) {}

  register(program: Command): void {
    program
      .command('logout')
      .alias('lo')
      .description('Log user out')
      .action(() => this.run());
  }

  async run(): Promise<void> {
    const { ui, store } = this.ctx;
    const config = await store.load();
    ui.say(config.user ? `Logging out ${config.user}...` : 'Logging out...');
    ui.say();
    if (config.target && config.refreshToken) {
      await this.revoke(config.target, config.refreshToken);
    }
    await store.save(config.target ? { target: config.target } : {});
    ui.ok();
  }

  /** Logging out must work offline too: a failed revoke only leaves the token to expire. */
  private async revoke(apiUrl: string, refreshToken: string): Promise<void> {
    try {
      const root = await this.ctx.publicClient(apiUrl).root();
      await new UaaClient(uaaUrlOf(root, apiUrl), this.ctx.fetch).revoke(refreshToken);
    } catch {
      // Nothing to do: the local session is removed either way.
    }
  }
}
