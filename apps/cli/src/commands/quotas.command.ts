import type { Command } from 'commander';
import {
  parseMegabytes,
  type OrganizationQuotaResource,
  type SpaceQuotaResource,
} from '@wharf/contracts';
import type { CliContext, LoggedInConfig, OrgTargetedConfig } from '../cli.context';
import { ApiError } from '../errors/api.error';
import { CliError } from '../errors/cli.error';
import type { ApiClient } from '../http/api.client';
import { findOrg, findSpace } from '../http/identity.queries';

/** cf's quota flags; every limit takes -1 for unlimited. */
interface LimitOptions {
  totalMemory?: string;
  instanceMemory?: string;
  appInstances?: string;
  serviceInstances?: string;
  routes?: string;
  allowPaidServicePlans?: boolean;
  disallowPaidServicePlans?: boolean;
}
interface UpdateOptions extends LimitOptions {
  name?: string;
}
interface ForceOption {
  force?: boolean;
}

type Quota = OrganizationQuotaResource | SpaceQuotaResource;

/** A memory limit in cf's notation (512M, 1G) or -1 for unlimited. */
function memory(flag: string, value: string | undefined): number | null | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '-1') return null;
  const mb = parseMegabytes(value);
  if (mb === null || mb <= 0)
    throw new CliError(
      `Incorrect Usage: ${flag} takes a size with a unit (M, G, …), e.g. 1G, or -1 for unlimited; got '${value}'.`,
    );
  return mb;
}

function count(flag: string, value: string | undefined): number | null | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '-1') return null;
  if (!/^\d+$/.test(value.trim()))
    throw new CliError(
      `Incorrect Usage: ${flag} takes a whole number, or -1 for unlimited; got '${value}'.`,
    );
  return Number(value);
}

/** The request body of a create or update: only the limits given on the command line. */
function limitsBody(o: LimitOptions): Record<string, Record<string, unknown>> {
  const apps: Record<string, unknown> = {};
  const services: Record<string, unknown> = {};
  const routes: Record<string, unknown> = {};
  const set = (into: Record<string, unknown>, key: string, v: unknown) => {
    if (v !== undefined) into[key] = v;
  };
  set(apps, 'total_memory_in_mb', memory('-m', o.totalMemory));
  set(apps, 'per_process_memory_in_mb', memory('-i', o.instanceMemory));
  set(apps, 'total_instances', count('-a', o.appInstances));
  set(services, 'total_service_instances', count('-s', o.serviceInstances));
  if (o.allowPaidServicePlans) services.paid_services_allowed = true;
  if (o.disallowPaidServicePlans) services.paid_services_allowed = false;
  set(routes, 'total_routes', count('-r', o.routes));
  const body: Record<string, Record<string, unknown>> = {};
  if (Object.keys(apps).length) body.apps = apps;
  if (Object.keys(services).length) body.services = services;
  if (Object.keys(routes).length) body.routes = routes;
  return body;
}

const mb = (v: number | null): string =>
  v === null ? 'unlimited' : v % 1024 === 0 ? `${v / 1024}G` : `${v}M`;
const n = (v: number | null): string => (v === null ? 'unlimited' : String(v));

function limitOptions(cmd: Command): Command {
  return cmd
    .option(
      '-m, --total-memory <memory>',
      'Total amount of memory all processes can have (e.g. 1024M, 1G, 10G); -1 for unlimited',
    )
    .option(
      '-i, --instance-memory <memory>',
      'Maximum amount of memory a process can have (e.g. 1024M, 1G); -1 for unlimited',
    )
    .option('-a, --app-instances <count>', 'Total number of app instances; -1 for unlimited')
    .option(
      '-s, --service-instances <count>',
      'Total number of service instances; -1 for unlimited',
    )
    .option('-r, --routes <count>', 'Total number of routes; -1 for unlimited')
    .option('--allow-paid-service-plans', 'Allow provisioning instances of paid service plans')
    .option(
      '--disallow-paid-service-plans',
      'Disallow provisioning instances of paid service plans',
    );
}

/**
 * What sets cf's org quota commands apart from its space quota commands; everything else they
 * do the same way.
 */
interface QuotaFamily<C extends LoggedInConfig> {
  /** `org` or `space`: the commands are `<word>-quotas`, `create-<word>-quota`, … */
  word: 'org' | 'space';
  path: '/v3/organization_quotas' | '/v3/space_quotas';
  /** As messages name one: `Organization quota`, `Space quota`. */
  noun: string;
  /** As cf's "already exists" warning names one. */
  title: string;
  /** Org quota commands also answer to their names without `org-` (`quotas`, `set-quota`, …). */
  aliased: boolean;
  /** Org quota creates check the flags before saying anything; space quota creates after. */
  flagsBeforeSaying: boolean;
  argument: string;
  describe: { list: string; show: string; create: string; update: string; delete: string };
  config(ctx: CliContext): Promise<C>;
  /** Where the quotas are, as the progress lines say it: `` or ` for org wharf`. */
  where(config: C): string;
  /** The list filters that keep a lookup to that place. */
  scope(config: C): Record<string, string>;
  /** What a create body says besides the name and limits. */
  owner(config: C): Record<string, unknown>;
  /** What a quota is set on: `set-<word>-quota <target> <quota>`. */
  target: {
    argument: string;
    description: string;
    command: string;
    relationship: 'organizations' | 'spaces';
    setting(quota: string, target: string, user: string): string;
    find(client: ApiClient, config: C, name: string): Promise<{ guid: string } | undefined>;
    missing(name: string): string;
  };
}

const ORG_QUOTAS: QuotaFamily<LoggedInConfig> = {
  word: 'org',
  path: '/v3/organization_quotas',
  noun: 'Organization quota',
  title: 'Organization Quota',
  aliased: true,
  flagsBeforeSaying: true,
  argument: 'Quota name',
  describe: {
    list: 'List available organization quotas',
    show: 'Show organization quota',
    create: 'Define a new quota for an organization',
    update: 'Update an existing organization quota',
    delete: 'Delete an organization quota',
  },
  config: (ctx) => ctx.loggedIn(),
  where: () => '',
  scope: () => ({}),
  owner: () => ({}),
  target: {
    argument: '<org>',
    description: 'Org name',
    command: 'Assign a quota to an organization',
    relationship: 'organizations',
    setting: (quota, org, user) => `Setting quota ${quota} to org ${org} as ${user}...`,
    find: (client, _config, name) => findOrg(client, name),
    missing: (name) => `Organization '${name}' not found.`,
  },
};

const SPACE_QUOTAS: QuotaFamily<OrgTargetedConfig> = {
  word: 'space',
  path: '/v3/space_quotas',
  noun: 'Space quota',
  title: 'Space Quota',
  aliased: false,
  flagsBeforeSaying: false,
  argument: 'Space quota name',
  describe: {
    list: 'List available space quotas in the targeted org',
    show: 'Show space quota',
    create: 'Define a new quota for a space in the targeted org',
    update: 'Update an existing space quota',
    delete: 'Delete a space quota',
  },
  config: (ctx) => ctx.orgTargeted(),
  where: (config) => ` for org ${config.org.name}`,
  scope: (config) => ({ organization_guids: config.org.guid }),
  owner: (config) => ({ relationships: { organization: { data: { guid: config.org.guid } } } }),
  target: {
    argument: '<space>',
    description: 'Space name',
    command: 'Apply a space quota to a space',
    relationship: 'spaces',
    setting: (quota, space, user) => `Setting space quota ${quota} to space ${space} as ${user}...`,
    find: (client, config, name) => findSpace(client, config.org.guid, name),
    missing: (name) => `Space '${name}' not found.`,
  },
};

/**
 * Quotas as cf has them: `org-quotas`, `org-quota`, `create-org-quota`, `update-org-quota`,
 * `delete-org-quota`, `set-org-quota`, and the same for space quotas in the targeted org with
 * `unset-space-quota`.
 */
export class QuotasCommand {
  constructor(private readonly ctx: CliContext) {}

  register(program: Command): void {
    this.registerFamily(program, ORG_QUOTAS);
    this.registerFamily(program, SPACE_QUOTAS);
    program
      .command('unset-space-quota')
      .description('Unassign a quota from a space')
      .argument('<space>', 'Space name')
      .argument('<quota>', 'Space quota name')
      .action((space: string, quota: string) => this.unsetSpaceQuota(space, quota));
  }

  private registerFamily<C extends LoggedInConfig>(program: Command, f: QuotaFamily<C>): void {
    const command = (name: string, description: string): Command => {
      const cmd = program.command(name);
      if (f.aliased) cmd.alias(name.replace(`${f.word}-`, ''));
      return cmd.description(description);
    };
    command(`${f.word}-quotas`, f.describe.list).action(() => this.list(f));
    command(`${f.word}-quota`, f.describe.show)
      .argument('<quota>', f.argument)
      .action((name: string) => this.show(f, name));
    limitOptions(command(`create-${f.word}-quota`, f.describe.create))
      .argument('<quota>', f.argument)
      .action((name: string, o: LimitOptions) => this.create(f, name, o));
    limitOptions(command(`update-${f.word}-quota`, f.describe.update))
      .argument('<quota>', f.argument)
      .option('-n, --name <name>', 'New name')
      .action((name: string, o: UpdateOptions) => this.update(f, name, o));
    command(`delete-${f.word}-quota`, f.describe.delete)
      .argument('<quota>', f.argument)
      .option('-f, --force', 'Force deletion without confirmation')
      .action((name: string, o: ForceOption) => this.delete(f, name, o));
    command(`set-${f.word}-quota`, f.target.command)
      .argument(f.target.argument, f.target.description)
      .argument('<quota>', f.argument)
      .action((target: string, quota: string) => this.set(f, target, quota));
  }

  private async list<C extends LoggedInConfig>(f: QuotaFamily<C>): Promise<void> {
    const config = await f.config(this.ctx);
    this.ctx.ui.say(`Getting ${f.word} quotas${f.where(config)} as ${config.user}...`);
    this.ctx.ui.say();
    const quotas = await this.client(config).listAll<Quota>(f.path, f.scope(config));
    this.table(quotas, `No ${f.noun.toLowerCase()}s found.`);
  }

  private async show<C extends LoggedInConfig>(f: QuotaFamily<C>, name: string): Promise<void> {
    const config = await f.config(this.ctx);
    this.ctx.ui.say(`Getting ${f.word} quota ${name}${f.where(config)} as ${config.user}...`);
    this.ctx.ui.say();
    this.details(await this.quota(f, this.client(config), config, name));
  }

  private async create<C extends LoggedInConfig>(
    f: QuotaFamily<C>,
    name: string,
    o: LimitOptions,
  ): Promise<void> {
    const config = await f.config(this.ctx);
    const early = f.flagsBeforeSaying ? limitsBody(o) : undefined;
    this.ctx.ui.say(`Creating ${f.word} quota ${name}${f.where(config)} as ${config.user}...`);
    const body = { name, ...(early ?? limitsBody(o)), ...f.owner(config) };
    await this.created(() => this.client(config).post(f.path, body), `${f.title} '${name}'`);
  }

  private async update<C extends LoggedInConfig>(
    f: QuotaFamily<C>,
    name: string,
    o: UpdateOptions,
  ): Promise<void> {
    const config = await f.config(this.ctx);
    const client = this.client(config);
    this.ctx.ui.say(`Updating ${f.word} quota ${name}${f.where(config)} as ${config.user}...`);
    const quota = await this.quota(f, client, config, name);
    await client.patch(`${f.path}/${quota.guid}`, {
      ...(o.name ? { name: o.name } : {}),
      ...limitsBody(o),
    });
    this.ctx.ui.ok();
  }

  private async delete<C extends LoggedInConfig>(
    f: QuotaFamily<C>,
    name: string,
    o: ForceOption,
  ): Promise<void> {
    const config = await f.config(this.ctx);
    const { ui } = this.ctx;
    const question = `Really delete the ${f.word} quota ${name}?`;
    if (!(await this.ctx.confirmOrForce(question, o.force === true))) {
      ui.say('Delete cancelled');
      return;
    }
    ui.say(`Deleting ${f.word} quota ${name}${f.where(config)} as ${config.user}...`);
    const client = this.client(config);
    const quota = await this.find(f, client, config, name);
    if (!quota) {
      ui.warn(`${f.noun} with name '${name}' not found.`);
      ui.ok();
      return;
    }
    await client.deleteAndWait(`${f.path}/${quota.guid}`);
    ui.ok();
  }

  private async set<C extends LoggedInConfig>(
    f: QuotaFamily<C>,
    targetName: string,
    quotaName: string,
  ): Promise<void> {
    const config = await f.config(this.ctx);
    const client = this.client(config);
    this.ctx.ui.say(f.target.setting(quotaName, targetName, config.user));
    const target = await f.target.find(client, config, targetName);
    if (!target) throw new CliError(f.target.missing(targetName));
    const quota = await this.quota(f, client, config, quotaName);
    await client.post(`${f.path}/${quota.guid}/relationships/${f.target.relationship}`, {
      data: [{ guid: target.guid }],
    });
    this.ctx.ui.ok();
  }

  async unsetSpaceQuota(spaceName: string, quotaName: string): Promise<void> {
    const f = SPACE_QUOTAS;
    const config = await f.config(this.ctx);
    const client = this.client(config);
    this.ctx.ui.say(
      `Unassigning space quota ${quotaName} from space ${spaceName} as ${config.user}...`,
    );
    const space = await f.target.find(client, config, spaceName);
    if (!space) throw new CliError(f.target.missing(spaceName));
    const quota = await this.quota(f, client, config, quotaName);
    await client.send('DELETE', `${f.path}/${quota.guid}/relationships/spaces/${space.guid}`);
    this.ctx.ui.ok();
  }

  private client(config: LoggedInConfig): ApiClient {
    return this.ctx.apiClient(config.target);
  }

  private async find<C extends LoggedInConfig>(
    f: QuotaFamily<C>,
    client: ApiClient,
    config: C,
    name: string,
  ): Promise<Quota | undefined> {
    const quotas = await client.listAll<Quota>(f.path, { names: name, ...f.scope(config) });
    return quotas.find((q) => q.name === name);
  }

  private async quota<C extends LoggedInConfig>(
    f: QuotaFamily<C>,
    client: ApiClient,
    config: C,
    name: string,
  ): Promise<Quota> {
    const quota = await this.find(f, client, config, name);
    if (!quota) throw new CliError(`${f.noun} with name '${name}' not found.`);
    return quota;
  }

  /** A create that says so when the name is taken, as cf does, instead of failing. */
  private async created(create: () => Promise<unknown>, what: string): Promise<void> {
    try {
      await create();
    } catch (err) {
      if (!(err instanceof ApiError && err.nameTaken)) throw err;
      this.ctx.ui.warn(`${what} already exists`);
    }
    this.ctx.ui.ok();
  }

  private table(quotas: Quota[], none: string): void {
    if (quotas.length === 0) {
      this.ctx.ui.say(none);
      return;
    }
    this.ctx.ui.table(
      [
        'name',
        'total memory',
        'instance memory',
        'routes',
        'service instances',
        'paid service plans',
        'app instances',
      ],
      quotas
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((q) => [
          q.name,
          mb(q.apps.total_memory_in_mb),
          mb(q.apps.per_process_memory_in_mb),
          n(q.routes.total_routes),
          n(q.services.total_service_instances),
          q.services.paid_services_allowed ? 'allowed' : 'disallowed',
          n(q.apps.total_instances),
        ]),
    );
  }

  private details(q: Quota): void {
    const rows: [string, string][] = [
      ['total memory:', mb(q.apps.total_memory_in_mb)],
      ['instance memory:', mb(q.apps.per_process_memory_in_mb)],
      ['routes:', n(q.routes.total_routes)],
      ['service instances:', n(q.services.total_service_instances)],
      ['paid service plans:', q.services.paid_services_allowed ? 'allowed' : 'disallowed'],
      ['app instances:', n(q.apps.total_instances)],
    ];
    for (const [label, value] of rows) this.ctx.ui.say(`${label.padEnd(21)}${value}`);
  }
}
