import type { Command } from 'commander';
import type { CliContext } from '../cli.context';

interface BuildpackResource {
  name: string;
  position: number;
  stack: string;
  enabled: boolean;
  locked: boolean;
  state: string;
  filename: string;
}

/** `buildpacks`: the platform's buildpacks in detection order, as `cf buildpacks` shows them. */
export class BuildpacksCommand {
  constructor(private readonly ctx: CliContext) {}

  register(program: Command): void {
    program
      .command('buildpacks')
      .description('List all buildpacks')
      .action(() => this.list());
  }

  async list(): Promise<void> {
    const config = await this.ctx.loggedIn();
    const { ui } = this.ctx;
    ui.say(`Getting buildpacks as ${config.user}...`);
    ui.say();
    const buildpacks = await this.ctx
      .apiClient(config.target)
      .listAll<BuildpackResource>('/v3/buildpacks', { order_by: 'position' });
    if (buildpacks.length === 0) {
      ui.say('No buildpacks found');
      return;
    }
    ui.table(
      ['position', 'name', 'stack', 'enabled', 'locked', 'state', 'filename'],
      buildpacks.map((b) => [
        String(b.position),
        b.name,
        b.stack,
        String(b.enabled),
        String(b.locked),
        b.state.toLowerCase(),
        b.filename,
      ]),
    );
  }
}
