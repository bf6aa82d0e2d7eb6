import { readFileSync, existsSync } from 'node:fs';
import type { Command } from 'commander';
import type {
  AppResource,
  CredentialBindingResource as BindingResource,
  ServiceInstanceResource as InstanceResource,
  ServiceOfferingResource,
  ServicePlanResource,
} from '@wharf/contracts';
import type { CliContext } from '../cli.context';
import { CliError } from '../errors/cli.error';
import { requireApp, spaceTarget, SpaceTarget } from '../push/space-target';
import { restartToApply } from '../push/restart-to-apply';
import { followServiceJob } from '../services/service-operation';

interface CreateServiceOptions {
  config?: string;
  tags?: string;
  broker?: string;
  wait?: boolean;
}

interface UpsOptions {
  parameters?: string;
  tags?: string;
  syslogDrainUrl?: string;
  routeServiceUrl?: string;
  restart?: boolean;
}

/** A JSON object given inline or as the path of a file holding one (as cf's -p and -c take). */
function jsonObjectOption(
  value: string | undefined,
  flag: string,
  what: string,
  example: string,
): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  const text = existsSync(value) ? readFileSync(value, 'utf8') : value;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CliError(
      `Incorrect Usage: ${flag} takes ${what} as a JSON object or a file holding one, e.g. ${flag} '${example}'.`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new CliError(`Incorrect Usage: the ${what} must be a JSON object.`);
  return parsed as Record<string, unknown>;
}

/** `-p` of cups/uups: the credentials. */
const credentialsOption = (value: string | undefined) =>
  jsonObjectOption(value, '-p', 'credentials', '{"uri":"postgres://..."}');

/** `-c`: parameters for the broker. */
export const parametersOption = (value: string | undefined) =>
  jsonObjectOption(value, '-c', 'parameters', '{"size": 2}');

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
    program
      .command('create-service')
      .alias('cs')
      .description('Create a service instance from a marketplace offering and plan')
      .argument('<offering>', 'Service offering name (see marketplace)')
      .argument('<plan>', 'Plan name')
      .argument('<name>', 'Service instance name')
      .option(
        '-c, --config <parameters>',
        'Parameters for the broker: a JSON object or a file path',
      )
      .option('-t, --tags <tags>', 'User-provided tags, comma separated')
      .option('-b, --broker <broker>', 'The offering of this service broker')
      .option('--wait', 'Wait for the operation to end')
      .action((offering: string, plan: string, n: string, o: CreateServiceOptions) =>
        this.create(offering, plan, n, o),
      );
    program
      .command('update-service')
      .description('Update a service instance: plan, parameters or tags')
      .argument('<name>', 'Service instance name')
      .option('-p, --plan <plan>', 'Change the plan')
      .option(
        '-c, --config <parameters>',
        'Parameters for the broker: a JSON object or a file path',
      )
      .option('-t, --tags <tags>', 'User-provided tags, comma separated')
      .option('--wait', 'Wait for the operation to end')
      .action((n: string, o: CreateServiceOptions & { plan?: string }) => this.update(n, o));
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
      .description('Delete a service instance (a managed one is deprovisioned by its broker)')
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
      .option(
        '-c, --config <parameters>',
        'Parameters for the broker: a JSON object or a file path',
      )
      .option('--no-restart', 'Do not restart the app')
      .action(
        (a: string, s: string, o: { bindingName?: string; config?: string; restart?: boolean }) =>
          this.bind(a, s, o.bindingName, parametersOption(o.config), o.restart ?? true),
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
    const catalog = await this.catalogOf(t, instances);
    ui.table(
      ['name', 'offering', 'plan', 'bound apps', 'last operation'],
      instances.map((i) => [
        i.name,
        i.type === 'user-provided' ? 'user-provided' : (catalog.get(i.guid)?.offering.name ?? ''),
        catalog.get(i.guid)?.plan.name ?? '',
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
    if (instance.type === 'managed') {
      const found = (await this.catalogOf(t, [instance])).get(instance.guid);
      const op = instance.last_operation;
      ui.keyValues([
        ['name', instance.name],
        ['guid', instance.guid],
        ['type', instance.type],
        ['offering', found?.offering.name ?? ''],
        ['plan', found?.plan.name ?? ''],
        ['tags', instance.tags.join(', ')],
        ['description', found?.offering.description ?? ''],
        ['dashboard url', instance.dashboard_url ?? ''],
      ]);
      ui.say();
      ui.say('Showing status of last operation:');
      ui.keyValues([
        ['status', `${op.type} ${op.state}`],
        ['message', op.description ?? ''],
        ['started', op.created_at],
        ['updated', op.updated_at],
      ]);
    } else
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
      ['name', 'binding name', 'status', 'message'],
      bindings.map((b) => [
        apps.get(b.relationships.app?.data.guid ?? '') ?? '',
        b.name ?? '',
        `${b.last_operation.type} ${b.last_operation.state}`,
        b.last_operation.description ?? '',
      ]),
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
    const { job } = await t.client.send('DELETE', `/v3/service_instances/${instance.guid}`);
    if (job) await this.follow(t, job, instance.guid, true);
    ui.ok();
  }

  async create(offeringName: string, planName: string, name: string, o: CreateServiceOptions) {
    const t = await spaceTarget(this.ctx);
    const { ui } = this.ctx;
    const parameters = parametersOption(o.config);
    ui.say(`Creating service instance ${name} ${t.where}...`);
    const offerings = await t.client.listAll<ServiceOfferingResource>('/v3/service_offerings', {
      names: offeringName,
      ...(o.broker ? { service_broker_names: o.broker } : {}),
    });
    if (offerings.length === 0)
      throw new CliError(
        `Service offering '${offeringName}' not found. Use 'wharf marketplace' to see what is offered.`,
      );
    if (offerings.length > 1)
      throw new CliError(
        `Service offering '${offeringName}' is provided by several service brokers: give one with -b.`,
      );
    const [plan] = await t.client.listAll<ServicePlanResource>('/v3/service_plans', {
      service_offering_guids: offerings[0]?.guid,
      names: planName,
    });
    if (!plan)
      throw new CliError(
        `The plan ${planName} could not be found for service offering ${offeringName}. Use 'wharf marketplace -e ${offeringName}' to see its plans.`,
      );
    const { job } = await t.client.send('POST', '/v3/service_instances', {
      type: 'managed',
      name,
      ...(parameters ? { parameters } : {}),
      ...(o.tags !== undefined ? { tags: tagsOption(o.tags) } : {}),
      relationships: {
        space: { data: { guid: t.spaceGuid } },
        service_plan: { data: { guid: plan.guid } },
      },
    });
    await this.finishOperation(t, job, name, 'Create', o.wait ?? false);
  }

  async update(name: string, o: CreateServiceOptions & { plan?: string }): Promise<void> {
    const t = await spaceTarget(this.ctx);
    const { ui } = this.ctx;
    const parameters = parametersOption(o.config);
    const instance = await this.requireInstance(t, name);
    if (instance.type !== 'managed')
      throw new CliError(
        `The service instance '${name}' is user-provided: use 'wharf update-user-provided-service'.`,
      );
    let planGuid: string | undefined;
    if (o.plan) {
      const current = (await this.catalogOf(t, [instance])).get(instance.guid);
      const [plan] = await t.client.listAll<ServicePlanResource>('/v3/service_plans', {
        service_offering_guids: current?.offering.guid,
        names: o.plan,
      });
      if (!plan)
        throw new CliError(
          `The plan ${o.plan} could not be found for service offering ${current?.offering.name ?? '?'}.`,
        );
      planGuid = plan.guid;
    }
    const body = {
      ...(parameters ? { parameters } : {}),
      ...(o.tags !== undefined ? { tags: tagsOption(o.tags) } : {}),
      ...(planGuid ? { relationships: { service_plan: { data: { guid: planGuid } } } } : {}),
    };
    if (Object.keys(body).length === 0)
      throw new CliError('Incorrect Usage: give at least one of -p, -c, -t.');
    ui.say(`Updating service instance ${name} ${t.where}...`);
    const { job } = await t.client.send('PATCH', `/v3/service_instances/${instance.guid}`, body);
    await this.finishOperation(t, job, name, 'Update', o.wait ?? false);
  }

  /**
   * Follows a broker operation: with --wait to the end; without, for a few seconds (most built-in
   * brokers finish by then) before leaving it running with a word on how to check it.
   */
  private async finishOperation(
    t: SpaceTarget,
    job: string | null,
    name: string,
    verb: 'Create' | 'Update',
    wait: boolean,
  ): Promise<void> {
    const { ui } = this.ctx;
    if (job) {
      const instance = await this.findInstance(t, name);
      const done = await followServiceJob(
        t.client,
        ui,
        job,
        async () =>
          instance
            ? (await t.client.get<InstanceResource>(`/v3/service_instances/${instance.guid}`))
                .last_operation
            : undefined,
        wait ? {} : { giveUpAfterMs: 5000 },
      );
      if (!done) {
        ui.ok();
        ui.say();
        ui.say(
          `${verb} in progress. Use 'wharf services' or 'wharf service ${name}' to check operation status.`,
        );
        return;
      }
    }
    ui.ok();
    ui.say();
    ui.say(`Service instance ${name} ${verb === 'Create' ? 'created' : 'updated'}.`);
  }

  private async follow(
    t: SpaceTarget,
    job: string,
    instanceGuid: string,
    deleting: boolean,
  ): Promise<void> {
    await followServiceJob(t.client, this.ctx.ui, job, async () => {
      const res = await t.client.get<InstanceResource>(`/v3/service_instances/${instanceGuid}`);
      return deleting && res.last_operation.type !== 'delete' ? undefined : res.last_operation;
    });
  }

  /** The offering and plan of each managed instance. */
  private async catalogOf(
    t: SpaceTarget,
    instances: InstanceResource[],
  ): Promise<Map<string, { offering: ServiceOfferingResource; plan: ServicePlanResource }>> {
    const planGuids = [
      ...new Set(instances.flatMap((i) => i.relationships.service_plan?.data.guid ?? [])),
    ];
    const out = new Map<string, { offering: ServiceOfferingResource; plan: ServicePlanResource }>();
    if (planGuids.length === 0) return out;
    const plans = await t.client.listAll<ServicePlanResource>('/v3/service_plans', {
      guids: planGuids.join(','),
    });
    const offerings = await t.client.listAll<ServiceOfferingResource>('/v3/service_offerings', {
      guids: [...new Set(plans.map((p) => p.relationships.service_offering.data.guid))].join(','),
    });
    for (const i of instances) {
      const plan = plans.find((p) => p.guid === i.relationships.service_plan?.data.guid);
      const offering = offerings.find(
        (x) => x.guid === plan?.relationships.service_offering.data.guid,
      );
      if (plan && offering) out.set(i.guid, { offering, plan });
    }
    return out;
  }

  async bind(
    appName: string,
    name: string,
    bindingName: string | undefined,
    parameters: Record<string, unknown> | undefined,
    restart: boolean,
  ) {
    const t = await spaceTarget(this.ctx);
    const { ui } = this.ctx;
    ui.say(`Binding service instance ${name} to app ${appName} ${t.where}...`);
    const app = await requireApp(t, appName);
    const instance = await this.requireInstance(t, name);
    const { job } = await t.client.send('POST', '/v3/service_credential_bindings', {
      type: 'app',
      ...(bindingName ? { name: bindingName } : {}),
      ...(parameters ? { parameters } : {}),
      relationships: {
        service_instance: { data: { guid: instance.guid } },
        app: { data: { guid: app.guid } },
      },
    });
    if (job)
      await followServiceJob(t.client, ui, job, async () => {
        const [b] = await t.client.listAll<BindingResource>('/v3/service_credential_bindings', {
          service_instance_guids: instance.guid,
          app_guids: app.guid,
        });
        return b?.last_operation;
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
