import { readFileSync, existsSync } from 'node:fs';
import type { Command } from 'commander';
import type {
  AppResource,
  CredentialBindingResource as BindingResource,
  ServiceInstanceResource as InstanceResource,
} from '@wharf/contracts';
import type { CliContext } from '../cli.context';
import { CliError } from '../errors/cli.error';
import { requireApp, spaceTarget, SpaceTarget } from '../push/space-target';
import { restartToApply } from '../push/restart-to-apply';

interface UpsOptions {
  parameters?: string;
  tags?: string;
  syslogDrainUrl?: string;
  routeServiceUrl?: string;
  restart?: boolean;
}

/** `-p` takes a JSON object or the path of a file holding one (as cf does). */
function credentialsOption(value: string | undefined): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  const text = existsSync(value) ? readFileSync(value, 'utf8') : value;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CliError(
      `Incorrect Usage: -p takes credentials as a JSON object or a file holding one, e.g. -p '{"uri":"postgres://..."}'.`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CliError('Incorrect Usage: the credentials must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

const tagsOption = (value: string | undefined) =>
  value === undefined
    ? undefined
    : value
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean);

/**
 * `services`, `service`, `cups`, `uups`, `delete-service`, `bind-service`, `unbind-service`.
 * Where cf only prints a tip to restage, a change that alters an app's environment restarts the
 * app (unless --no-restart), so the app sees it at once.
 */
export class ServicesCommand {
  constructor(private readonly ctx: CliContext) {}

  register(program: Command): void {
    program
      .command('services')
      .alias('s')
      .description('List service instances in the target space')
      .action(() => this.list());
    program
      .command('service')
      .description('Show service instance info')
      .argument('<name>', 'Service instance name')
      .option('--guid', 'Retrieve and display the given service instance guid only')
      .action((n: string, o: { guid?: boolean }) => this.show(n, o.guid ?? false));
    const upsOptions = (c: Command) =>
      c
        .option('-p, --parameters <credentials>', 'Credentials as a JSON object or a file path')
        .option('-t, --tags <tags>', 'User-provided tags, comma separated')
        .option(
          '-l, --syslog-drain-url <url>',
          'URL to which logs for bound applications will be streamed',
        )
        .option(
          '-r, --route-service-url <url>',
          'URL to which requests for bound routes will be forwarded',
        );
    upsOptions(
      program
        .command('create-user-provided-service')
        .alias('cups')
        .description('Make a user-provided service instance available to apps')
        .argument('<name>', 'Service instance name'),
    ).action((n: string, o: UpsOptions) => this.cups(n, o));
    upsOptions(
      program
        .command('update-user-provided-service')
        .alias('uups')
        .description('Update a user-provided service instance (bound apps are restarted)')
        .argument('<name>', 'Service instance name'),
    )
      .option('--no-restart', 'Do not restart the bound apps')
      .action((n: string, o: UpsOptions) => this.uups(n, o));
    program
      .command('delete-service')
      .alias('ds')
      .description('Delete a service instance and its bindings')
      .argument('<name>', 'Service instance name')
      .option('-f, --force', 'Force deletion without confirmation')
      .action((n: string, o: { force?: boolean }) => this.remove(n, o.force ?? false));
    program
      .command('bind-service')
      .alias('bs')
      .description('Bind a service instance to an app (the app is restarted)')
      .argument('<app>', 'App name')
      .argument('<service>', 'Service instance name')
      .option('--binding-name <name>', 'Name to expose the service instance to the app under')
      .option('--no-restart', 'Do not restart the app')
      .action((a: string, s: string, o: { bindingName?: string; restart?: boolean }) =>
        this.bind(a, s, o.bindingName, o.restart ?? true),
      );
    program
      .command('unbind-service')
      .alias('us')
      .description('Unbind a service instance from an app (the app is restarted)')
      .argument('<app>', 'App name')
      .argument('<service>', 'Service instance name')
      .option('--no-restart', 'Do not restart the app')
      .action((a: string, s: string, o: { restart?: boolean }) =>
        this.unbind(a, s, o.restart ?? true),
      );
  }

  async list(): Promise<void> {
    const t = await spaceTarget(this.ctx);
    const { ui } = this.ctx;
    ui.say(`Getting service instances ${t.where}...`);
    ui.say();
    const instances = await t.client.listAll<InstanceResource>('/v3/service_instances', {
      space_guids: t.spaceGuid,
    });
    if (instances.length === 0) {
      ui.say('No service instances found.');
      return;
    }
    const bindings = await t.client.listAll<BindingResource>('/v3/service_credential_bindings', {
      service_instance_guids: instances.map((i) => i.guid).join(','),
      type: 'app',
    });
    const apps = await this.appNames(t, bindings);
    ui.table(
      ['name', 'offering', 'plan', 'bound apps', 'last operation'],
      instances.map((i) => [
        i.name,
        i.type === 'user-provided' ? 'user-provided' : '',
        '',
        bindings
          .filter((b) => b.relationships.service_instance.data.guid === i.guid)
          .map((b) => apps.get(b.relationships.app?.data.guid ?? '') ?? '')
          .join(', '),
        `${i.last_operation.type} ${i.last_operation.state}`,
      ]),
    );
  }

  async show(name: string, guidOnly: boolean): Promise<void> {
    const t = await spaceTarget(this.ctx);
    const { ui } = this.ctx;
    const instance = await this.requireInstance(t, name);
    if (guidOnly) {
      ui.say(instance.guid);
      return;
    }
    ui.say(`Showing info of service ${name} ${t.where}...`);
    ui.say();
    ui.keyValues([
      ['name', instance.name],
      ['guid', instance.guid],
      ['type', instance.type],
      ['tags', instance.tags.join(', ')],
      ['route service url', instance.route_service_url ?? ''],
      ['syslog drain url', instance.syslog_drain_url ?? ''],
    ]);
    const bindings = await t.client.listAll<BindingResource>('/v3/service_credential_bindings', {
      service_instance_guids: instance.guid,
      type: 'app',
    });
    ui.say();
    if (bindings.length === 0) {
      ui.say('There are no bound apps for this service instance.');
      return;
    }
    ui.say('Showing bound apps:');
    const apps = await this.appNames(t, bindings);
    ui.table(
      ['name', 'binding name'],
      bindings.map((b) => [apps.get(b.relationships.app?.data.guid ?? '') ?? '', b.name ?? '']),
    );
  }

  async cups(name: string, o: UpsOptions): Promise<void> {
    const t = await spaceTarget(this.ctx);
    const { ui } = this.ctx;
    const credentials = credentialsOption(o.parameters) ?? {};
    ui.say(`Creating user provided service ${name} ${t.where}...`);
    await t.client.post('/v3/service_instances', {
      type: 'user-provided',
      name,
      credentials,
      tags: tagsOption(o.tags) ?? [],
      ...(o.syslogDrainUrl ? { syslog_drain_url: o.syslogDrainUrl } : {}),
      ...(o.routeServiceUrl ? { route_service_url: o.routeServiceUrl } : {}),
      relationships: { space: { data: { guid: t.spaceGuid } } },
    });
    ui.ok();
  }

  async uups(name: string, o: UpsOptions): Promise<void> {
    const t = await spaceTarget(this.ctx);
    const { ui } = this.ctx;
    const instance = await this.requireInstance(t, name);
    if (instance.type !== 'user-provided') {
      throw new CliError(`The service instance '${name}' is not user-provided.`);
    }
    const body = {
      ...(o.parameters !== undefined ? { credentials: credentialsOption(o.parameters) } : {}),
      ...(o.tags !== undefined ? { tags: tagsOption(o.tags) } : {}),
      ...(o.syslogDrainUrl !== undefined ? { syslog_drain_url: o.syslogDrainUrl } : {}),
      ...(o.routeServiceUrl !== undefined ? { route_service_url: o.routeServiceUrl } : {}),
    };
    if (Object.keys(body).length === 0) {
      throw new CliError('Incorrect Usage: give at least one of -p, -t, -l, -r.');
    }
    ui.say(`Updating user provided service ${name} ${t.where}...`);
    await t.client.patch(`/v3/service_instances/${instance.guid}`, body);
    ui.ok();
    const bindings = await t.client.listAll<BindingResource>('/v3/service_credential_bindings', {
      service_instance_guids: instance.guid,
      type: 'app',
    });
    const apps = await t.client.listAll<AppResource>('/v3/apps', {
      guids: bindings.map((b) => b.relationships.app?.data.guid ?? '').join(','),
    });
    for (const app of apps) await this.applyChange(t, app, o.restart ?? true);
  }

  async remove(name: string, force: boolean): Promise<void> {
    const t = await spaceTarget(this.ctx);
    const { ui } = this.ctx;
    if (!(await this.ctx.confirmOrForce(`Really delete the service ${name}?`, force))) {
      ui.say('Delete cancelled');
      return;
    }
    ui.say(`Deleting service ${name} ${t.where}...`);
    const instance = await this.findInstance(t, name);
    if (!instance) {
      ui.say(`Service instance ${name} did not exist.`);
      ui.ok();
      return;
    }
    await t.client.deleteAndWait(`/v3/service_instances/${instance.guid}`);
    ui.ok();
  }

  async bind(appName: string, name: string, bindingName: string | undefined, restart: boolean) {
    const t = await spaceTarget(this.ctx);
    const { ui } = this.ctx;
    ui.say(`Binding service instance ${name} to app ${appName} ${t.where}...`);
    const app = await requireApp(t, appName);
    const instance = await this.requireInstance(t, name);
    await t.client.post('/v3/service_credential_bindings', {
      type: 'app',
      ...(bindingName ? { name: bindingName } : {}),
      relationships: {
        service_instance: { data: { guid: instance.guid } },
        app: { data: { guid: app.guid } },
      },
    });
    ui.ok();
    await this.applyChange(t, app, restart);
  }

  async unbind(appName: string, name: string, restart: boolean): Promise<void> {
    const t = await spaceTarget(this.ctx);
    const { ui } = this.ctx;
    ui.say(`Unbinding app ${appName} from service ${name} ${t.where}...`);
    const app = await requireApp(t, appName);
    const instance = await this.requireInstance(t, name);
    const [binding] = await t.client.listAll<BindingResource>('/v3/service_credential_bindings', {
      service_instance_guids: instance.guid,
      app_guids: app.guid,
    });
    if (!binding) {
      ui.say(`Binding between ${name} and ${appName} did not exist`);
      ui.ok();
      return;
    }
    await t.client.deleteAndWait(`/v3/service_credential_bindings/${binding.guid}`);
    ui.ok();
    await this.applyChange(t, app, restart);
  }

  private applyChange(t: SpaceTarget, app: AppResource, restart: boolean): Promise<void> {
    return restartToApply(this.ctx.ui, t.client, app, restart);
  }

  private async appNames(
    t: SpaceTarget,
    bindings: BindingResource[],
  ): Promise<Map<string, string>> {
    const guids = [...new Set(bindings.map((b) => b.relationships.app?.data.guid ?? ''))].filter(
      Boolean,
    );
    if (guids.length === 0) return new Map();
    const apps = await t.client.listAll<AppResource>('/v3/apps', { guids: guids.join(',') });
    return new Map(apps.map((a) => [a.guid, a.name]));
  }

  private async findInstance(t: SpaceTarget, name: string): Promise<InstanceResource | null> {
    const [instance] = await t.client.listAll<InstanceResource>('/v3/service_instances', {
      names: name,
      space_guids: t.spaceGuid,
    });
    return instance ?? null;
  }

  private async requireInstance(t: SpaceTarget, name: string): Promise<InstanceResource> {
    const instance = await this.findInstance(t, name);
    if (!instance) throw new CliError(`Service instance '${name}' not found`);
    return instance;
  }
}
