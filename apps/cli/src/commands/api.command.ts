import type { Command } from 'commander';
import type { CliContext } from '../cli.context';
import { normalizeApiUrl } from '../http/url';
import { showTarget } from './target-summary.view';

interface ApiOptions {
  unset?: boolean;
}

/** `wharf api [URL]`: show or set the API endpoint (setting it checks GET / first). */
export class ApiCommand {
  constructor(private readonly ctx: CliContext) {}

  register(program: Command): void {
    program
      .command('api')
      .description('Set or view target API url')
      .argument('[url]', 'API endpoint, e.g. https://api.example.com (https:// if no scheme)')
      .option('--unset', 'Remove the API endpoint and the session')
      .action((url: string | undefined, options: ApiOptions) => this.run(url, options));
  }

  async run(url: string | undefined, options: ApiOptions): Promise<void> {
    const { ui, store } = this.ctx;
    if (options.unset) {
      ui.say('Unsetting API endpoint...');
      ui.say();
      await store.save({});
      ui.ok();
      return;
    }
    if (url === undefined) {
      const config = await store.load();
      if (!config.target) {
        ui.say("No API endpoint set. Use 'wharf api URL' to set an endpoint.");
        return;
      }
      await showTarget(this.ctx, { ...config, target: config.target }, { session: false });
      return;
    }
    const target = normalizeApiUrl(url);
    ui.say(`Setting API endpoint to ${target}...`);
    await this.ctx.publicClient(target).root();
    // Another endpoint means another identity provider: the old session is meaningless there.
    const config = await store.update((c) => (c.target === target ? c : { target }));
    ui.say();
    ui.ok();
    ui.say();
    await showTarget(this.ctx, { ...config, target }, { session: false });
    if (!config.accessToken) {
      ui.say();
      ui.say("Not logged in. Use 'wharf login' to log in.");
    }
  }
}
