import type { Command } from 'commander';
import type { CliContext } from '../cli.context';

/** `wharf oauth-token`: the current access token, refreshed first when it has expired. */
export class OauthTokenCommand {
  constructor(private readonly ctx: CliContext) {}

  register(program: Command): void {
    program
      .command('oauth-token')
      .description('Retrieve and display the OAuth token for the current session')
      .action(() => this.run());
  }

  async run(): Promise<void> {
    const config = await this.ctx.loggedIn();
    const token = await this.ctx.tokens(config.target).accessToken();
    this.ctx.ui.say(`bearer ${token}`);
  }
}
