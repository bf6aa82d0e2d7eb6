import type { Command } from 'commander';
import {
  parseMegabytes,
  type OrganizationQuotaResource,
  type SpaceQuotaResource,
} from '@wharf/contracts';
import type { CliContext, LoggedInConfig } from '../cli.context';
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
 * Quotas as cf has them: `org-quotas`, `org-quota`, `create-org-quota`, `update-org-quota`,
 * `delete-org-quota`, `set-org-quota`, and the same for space quotas in the targeted org with
 * `unset-space-quota`.
 */
export class QuotasCommand {
  constructor(private readonly ctx: CliContext) {}

  register(program: Command): void {
    program
      .command('org-quotas')
      .alias('quotas')
      .description('List available organization quotas')
      .action(() => this.listOrgQuotas());
    program
      .command('org-quota')
      .alias('quota')
      .description('Show organization quota')
      .argument('<quota>', 'Quota name')
      .action((name: string) => this.showOrgQuota(name));
    limitOptions(
      program
        .command('create-org-quota')
        .alias('create-quota')
        .description('Define a new quota for an organization'),
    )
      .argument('<quota>', 'Quota name')
      .action((name: string, o: LimitOptions) => this.createOrgQuota(name, o));
    limitOptions(
      program
        .command('update-org-quota')
        .alias('update-quota')
        .description('Update an existing organization quota'),
    )
      .argument('<quota>', 'Quota name')
      .option('-n, --name <name>', 'New name')
      .action((name: string, o: UpdateOptions) => this.updateOrgQuota(name, o));
    program
      .command('delete-org-quota')
      .alias('delete-quota')
      .description('Delete an organization quota')
      .argument('<quota>', 'Quota name')
      .option('-f, --force', 'Force deletion without confirmation')
      .action((name: string, o: ForceOption) => this.deleteOrgQuota(name, o));
    program
      .command('set-org-quota')
      .alias('set-quota')
      .description('Assign a quota to an organization')
      .argument('<org>', 'Org name')
      .argument('<quota>', 'Quota name')
      .action((org: string, quota: string) => this.setOrgQuota(org, quota));

    program
      .command('space-quotas')
      .description('List available space quotas in the targeted org')
      .action(() => this.listSpaceQuotas());
    program
      .command('space-quota')
      .description('Show space quota')
      .argument('<quota>', 'Space quota name')
      .action((name: string) => this.showSpaceQuota(name));
    limitOptions(
      program
        .command('create-space-quota')
        .description('Define a new quota for a space in the targeted org'),
    )
      .argument('<quota>', 'Space quota name')
      .action((name: string, o: LimitOptions) => this.createSpaceQuota(name, o));
    limitOptions(
      program.command('update-space-quota').description('Update an existing space quota'),
    )
      .argument('<quota>', 'Space quota name')
      .option('-n, --name <name>', 'New name')
      .action((name: string, o: UpdateOptions) => this.updateSpaceQuota(name, o));
    program
      .command('delete-space-quota')
      .description('Delete a space quota')
      .argument('<quota>', 'Space quota name')
      .option('-f, --force', 'Force deletion without confirmation')
      .action((name: string, o: ForceOption) => this.deleteSpaceQuota(name, o));
    program
      .command('set-space-quota')
      .description('Apply a space quota to a space')
      .argument('<space>', 'Space name')
      .argument('<quota>', 'Space quota name')
      .action((space: string, quota: string) => this.setSpaceQuota(space, quota));
    program
      .command('unset-space-quota')
      .description('Unassign a quota from a space')
      .argument('<space>', 'Space name')
      .argument('<quota>', 'Space quota name')
      .action((space: string, quota: string) => this.unsetSpaceQuota(space, quota));
  }

  async listOrgQuotas(): Promise<void> {
    const config = await this.ctx.loggedIn();
    this.ctx.ui.say(`Getting org quotas as ${config.user}...`);
    this.ctx.ui.say();
    const quotas =
      await this.client(config).listAll<OrganizationQuotaResource>('/v3/organization_quotas');
    this.table(quotas, 'No organization quotas found.');
  }

  async showOrgQuota(name: string): Promise<void> {
    const config = await this.ctx.loggedIn();
    this.ctx.ui.say(`Getting org quota ${name} as ${config.user}...`);
    this.ctx.ui.say();
    this.details(await this.orgQuota(this.client(config), name));
  }

  async createOrgQuota(name: string, o: LimitOptions): Promise<void> {
    const config = await this.ctx.loggedIn();
    const body = { name, ...limitsBody(o) };
    this.ctx.ui.say(`Creating org quota ${name} as ${config.user}...`);
    await this.created(
      () => this.client(config).post('/v3/organization_quotas', body),
      `Organization Quota '${name}'`,
    );
  }

  async updateOrgQuota(name: string, o: UpdateOptions): Promise<void> {
    const config = await this.ctx.loggedIn();
    const client = this.client(config);
    this.ctx.ui.say(`Updating org quota ${name} as ${config.user}...`);
    const quota = await this.orgQuota(client, name);
    await client.patch(`/v3/organization_quotas/${quota.guid}`, {
      ...(o.name ? { name: o.name } : {}),
      ...limitsBody(o),
    });
    this.ctx.ui.ok();
  }

  async deleteOrgQuota(name: string, o: ForceOption): Promise<void> {
    const config = await this.ctx.loggedIn();
    const { ui } = this.ctx;
    if (
      !(await this.ctx.confirmOrForce(`Really delete the org quota ${name}?`, o.force === true))
    ) {
      ui.say('Delete cancelled');
      return;
    }
    ui.say(`Deleting org quota ${name} as ${config.user}...`);
    const client = this.client(config);
    const quota = (
      await client.listAll<OrganizationQuotaResource>('/v3/organization_quotas', { names: name })
    ).find((q) => q.name === name);
    if (!quota) {
      ui.warn(`Organization quota with name '${name}' not found.`);
      ui.ok();
      return;
    }
    await client.deleteAndWait(`/v3/organization_quotas/${quota.guid}`);
    ui.ok();
  }

  async setOrgQuota(orgName: string, quotaName: string): Promise<void> {
    const config = await this.ctx.loggedIn();
    const client = this.client(config);
    this.ctx.ui.say(`Setting quota ${quotaName} to org ${orgName} as ${config.user}...`);
    const org = await findOrg(client, orgName);
    if (!org) throw new CliError(`Organization '${orgName}' not found.`);
    const quota = await this.orgQuota(client, quotaName);
    await client.post(`/v3/organization_quotas/${quota.guid}/relationships/organizations`, {
      data: [{ guid: org.guid }],
    });
    this.ctx.ui.ok();
  }

  async listSpaceQuotas(): Promise<void> {
    const config = await this.ctx.orgTargeted();
    this.ctx.ui.say(`Getting space quotas for org ${config.org.name} as ${config.user}...`);
    this.ctx.ui.say();
    const quotas = await this.client(config).listAll<SpaceQuotaResource>('/v3/space_quotas', {
      organization_guids: config.org.guid,
    });
    this.table(quotas, 'No space quotas found.');
  }

  async showSpaceQuota(name: string): Promise<void> {
    const config = await this.ctx.orgTargeted();
    this.ctx.ui.say(`Getting space quota ${name} for org ${config.org.name} as ${config.user}...`);
    this.ctx.ui.say();
    this.details(await this.spaceQuota(this.client(config), config.org.guid, name));
  }

  async createSpaceQuota(name: string, o: LimitOptions): Promise<void> {
    const config = await this.ctx.orgTargeted();
    this.ctx.ui.say(`Creating space quota ${name} for org ${config.org.name} as ${config.user}...`);
    const body = {
      name,
      ...limitsBody(o),
      relationships: { organization: { data: { guid: config.org.guid } } },
    };
    await this.created(
      () => this.client(config).post('/v3/space_quotas', body),
      `Space Quota '${name}'`,
    );
  }

  async updateSpaceQuota(name: string, o: UpdateOptions): Promise<void> {
    const config = await this.ctx.orgTargeted();
    const client = this.client(config);
    this.ctx.ui.say(`Updating space quota ${name} for org ${config.org.name} as ${config.user}...`);
    const quota = await this.spaceQuota(client, config.org.guid, name);
    await client.patch(`/v3/space_quotas/${quota.guid}`, {
      ...(o.name ? { name: o.name } : {}),
      ...limitsBody(o),
    });
    this.ctx.ui.ok();
  }

  async deleteSpaceQuota(name: string, o: ForceOption): Promise<void> {
    const config = await this.ctx.orgTargeted();
    const { ui } = this.ctx;
    if (
      !(await this.ctx.confirmOrForce(`Really delete the space quota ${name}?`, o.force === true))
    ) {
      ui.say('Delete cancelled');
      return;
    }
    ui.say(`Deleting space quota ${name} for org ${config.org.name} as ${config.user}...`);
    const client = this.client(config);
    const quota = (
      await client.listAll<SpaceQuotaResource>('/v3/space_quotas', {
        names: name,
        organization_guids: config.org.guid,
      })
    ).find((q) => q.name === name);
    if (!quota) {
      ui.warn(`Space quota with name '${name}' not found.`);
      ui.ok();
      return;
    }
    await client.deleteAndWait(`/v3/space_quotas/${quota.guid}`);
    ui.ok();
  }

  async setSpaceQuota(spaceName: string, quotaName: string): Promise<void> {
    const config = await this.ctx.orgTargeted();
    const client = this.client(config);
    this.ctx.ui.say(`Setting space quota ${quotaName} to space ${spaceName} as ${config.user}...`);
    const space = await findSpace(client, config.org.guid, spaceName);
    if (!space) throw new CliError(`Space '${spaceName}' not found.`);
    const quota = await this.spaceQuota(client, config.org.guid, quotaName);
    await client.post(`/v3/space_quotas/${quota.guid}/relationships/spaces`, {
      data: [{ guid: space.guid }],
    });
    this.ctx.ui.ok();
  }

  async unsetSpaceQuota(spaceName: string, quotaName: string): Promise<void> {
    const config = await this.ctx.orgTargeted();
    const client = this.client(config);
    this.ctx.ui.say(
      `Unassigning space quota ${quotaName} from space ${spaceName} as ${config.user}...`,
    );
    const space = await findSpace(client, config.org.guid, spaceName);
    if (!space) throw new CliError(`Space '${spaceName}' not found.`);
    const quota = await this.spaceQuota(client, config.org.guid, quotaName);
    await client.send(
      'DELETE',
      `/v3/space_quotas/${quota.guid}/relationships/spaces/${space.guid}`,
    );
    this.ctx.ui.ok();
  }

  private client(config: LoggedInConfig): ApiClient {
    return this.ctx.apiClient(config.target);
  }

  private async orgQuota(client: ApiClient, name: string): Promise<OrganizationQuotaResource> {
    const quota = (
      await client.listAll<OrganizationQuotaResource>('/v3/organization_quotas', { names: name })
    ).find((q) => q.name === name);
    if (!quota) throw new CliError(`Organization quota with name '${name}' not found.`);
    return quota;
  }

  private async spaceQuota(
    client: ApiClient,
    orgGuid: string,
    name: string,
  ): Promise<SpaceQuotaResource> {
    const quota = (
      await client.listAll<SpaceQuotaResource>('/v3/space_quotas', {
        names: name,
        organization_guids: orgGuid,
      })
    ).find((q) => q.name === name);
    if (!quota) throw new CliError(`Space quota with name '${name}' not found.`);
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
