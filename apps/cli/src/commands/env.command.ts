import type { Command } from 'commander';
import type { CliContext, LoggedInConfig } from '../cli.context';
import { CliError } from '../errors/cli.error';
import type { ApiClient } from '../http/api.client';
import { restartToApply } from '../push/restart-to-apply';

interface AppRef {
  guid: string;
  name: string;
  state: string;
}

interface EnvResponse {
  staging_env_json: Record<string, string>;
  running_env_json: Record<string, string>;
  environment_variables: Record<string, string>;
  system_env_json: Record<string, unknown>;
  application_env_json: Record<string, unknown>;
}

/** `env`, `set-env`, `unset-env` for an app in the targeted space. */
export class EnvCommand {
  constructor(private readonly ctx: CliContext) {}

  register(program: Command): void {
    program
      .command('env')
      .alias('e')
      .description('Show all env variables for an app')
      .argument('<app>', 'App name')
      .action((app: string) => this.show(app));
    program
      .command('set-env')
      .alias('se')
      .description('Set an env variable for an app')
      .argument('<app>', 'App name')
      .argument('<name>', 'Variable name')
      .argument('<value>', 'Variable value')
      .option('--no-restart', 'Do not restart the app (the change waits for the next restart)')
      .action((app: string, name: string, value: string, o: { restart?: boolean }) =>
        this.set(app, name, value, o.restart ?? true),
      );
    program
      .command('unset-env')
      .description('Remove an env variable from an app')
      .argument('<app>', 'App name')
      .argument('<name>', 'Variable name')
      .option('--no-restart', 'Do not restart the app (the change waits for the next restart)')
      .action((app: string, name: string, o: { restart?: boolean }) =>
        this.unset(app, name, o.restart ?? true),
      );
  }

  async show(appName: string): Promise<void> {
    const { config, client, where } = await this.targeted();
    const { ui } = this.ctx;
    ui.say(`Getting env variables for app ${appName} ${where} as ${config.user}...`);
    const app = await findApp(client, config, appName);
    const env = await client.get<EnvResponse>(`/v3/apps/${app.guid}/env`);
    ui.say('System-Provided:');
    for (const [k, v] of Object.entries({ ...env.system_env_json, ...env.application_env_json })) {
      ui.say(`${k}: ${JSON.stringify(v, null, 2)}`);
      ui.say();
    }
    section(
      ui,
      'User-Provided:',
      env.environment_variables,
      'No user-provided env variables have been set',
    );
    section(
      ui,
      'Running Environment Variable Groups:',
      env.running_env_json,
      'No running env variables have been set',
    );
    section(
      ui,
      'Staging Environment Variable Groups:',
      env.staging_env_json,
      'No staging env variables have been set',
    );
  }

  async set(appName: string, name: string, value: string, restart = true): Promise<void> {
    const { config, client, where } = await this.targeted();
    const { ui } = this.ctx;
    ui.say(`Setting env variable ${name} for app ${appName} ${where} as ${config.user}...`);
    const app = await findApp(client, config, appName);
    await client.patch(`/v3/apps/${app.guid}/environment_variables`, { var: { [name]: value } });
    ui.ok();
    await restartToApply(ui, client, app, restart);
  }

  async unset(appName: string, name: string, restart = true): Promise<void> {
    const { config, client, where } = await this.targeted();
    const { ui } = this.ctx;
    ui.say(`Removing env variable ${name} from app ${appName} ${where} as ${config.user}...`);
    const app = await findApp(client, config, appName);
    const current = await client.get<{ var: Record<string, string> }>(
      `/v3/apps/${app.guid}/environment_variables`,
    );
    if (!(name in current.var)) {
      ui.say(`Env variable ${name} was not set.`);
      ui.ok();
      return;
    }
    await client.patch(`/v3/apps/${app.guid}/environment_variables`, { var: { [name]: null } });
    ui.ok();
    await restartToApply(ui, client, app, restart);
  }

  private async targeted(): Promise<{ config: LoggedInConfig; client: ApiClient; where: string }> {
    const config = await this.ctx.loggedIn();
    if (!config.org)
      throw new CliError("No org targeted, use 'wharf target -o ORG' to target an org.");
    if (!config.space)
      throw new CliError("No space targeted, use 'wharf target -s SPACE' to target a space.");
    return {
      config,
      client: this.ctx.apiClient(config.target),
      where: `in org ${config.org.name} / space ${config.space.name}`,
    };
  }
}

async function findApp(client: ApiClient, config: LoggedInConfig, name: string): Promise<AppRef> {
  const apps = await client.listAll<AppRef>('/v3/apps', {
    names: name,
    space_guids: config.space?.guid ?? '',
  });
  const app = apps[0];
  if (!app) throw new CliError(`App '${name}' not found.`);
  return app;
}

function section(
  ui: CliContext['ui'],
  title: string,
  vars: Record<string, string>,
  empty: string,
): void {
  const entries = Object.entries(vars).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) {
    ui.say(empty);
    ui.say();
    return;
  }
  ui.say(title);
  for (const [k, v] of entries) ui.say(`${k}: ${v}`);
  ui.say();
}
