import type { Command } from 'commander';
import type {
  DomainResource as Domain,
  ListResponse,
  RouteResource as Route,
} from '@wharf/contracts';
import type { CliContext } from '../cli.context';
import { CliError } from '../errors/cli.error';
import { requireApp, spaceTarget, SpaceTarget } from '../push/space-target';

interface RouteOptions {
  hostname?: string;
  path?: string;
}

/** domains, routes, create-route, delete-route, map-route, unmap-route, create-private-domain. */
export class RoutesCommand {
  constructor(private readonly ctx: CliContext) {}

  register(program: Command): void {
    program
      .command('domains')
      .description('List domains in the target org')
      .action(() => this.domains());
    program
      .command('routes')
      .alias('r')
      .description('List routes in the target space')
      .action(() => this.routes());
    const withRoute = (c: Command) =>
      c
        .option('-n, --hostname <host>', 'Hostname for the route')
        .option('--path <path>', 'Path for the route (e.g. /api)');
    withRoute(
      program
        .command('create-route')
        .description('Create a route for later use')
        .argument('<domain>', 'Domain for the route'),
    ).action((domain: string, o: RouteOptions) => this.createRoute(domain, o));
    withRoute(
      program
        .command('delete-route')
        .description('Delete a route')
        .argument('<domain>', 'Domain of the route')
        .option('-f, --force', 'Force deletion without confirmation'),
    ).action((domain: string, o: RouteOptions & { force?: boolean }) =>
      this.deleteRoute(domain, o),
    );
    withRoute(
      program
        .command('map-route')
        .description('Map a route to an app (creating the route if needed)')
        .argument('<app>', 'App name')
        .argument('<domain>', 'Domain for the route'),
    ).action((app: string, domain: string, o: RouteOptions) => this.mapRoute(app, domain, o));
    withRoute(
      program
        .command('unmap-route')
        .description('Remove a route from an app')
        .argument('<app>', 'App name')
        .argument('<domain>', 'Domain of the route'),
    ).action((app: string, domain: string, o: RouteOptions) => this.unmapRoute(app, domain, o));
    program
      .command('create-private-domain')
      .description('Create a private domain for a specific org')
      .argument('<org>', 'Org name')
      .argument('<domain>', 'Domain name')
      .action((org: string, domain: string) => this.createPrivateDomain(org, domain));
  }

  async domains(): Promise<void> {
    const t = await spaceTarget(this.ctx);
    const { ui } = this.ctx;
    ui.say(`Getting domains in org ${t.config.org?.name ?? ''} as ${t.config.user}...`);
    ui.say();
    const domains = await t.client.listAll<Domain>('/v3/domains', { order_by: 'name' });
    ui.table(
      ['name', 'availability', 'internal'],
      domains.map((d) => [
        d.name,
        d.relationships.organization.data ? 'private' : 'shared',
        d.internal ? 'true' : '',
      ]),
    );
  }

  async routes(): Promise<void> {
    const t = await spaceTarget(this.ctx);
    const { ui } = this.ctx;
    ui.say(
      `Getting routes for org ${t.config.org?.name ?? ''} / space ${t.config.space?.name ?? ''} as ${t.config.user}...`,
    );
    ui.say();
    const routes = await t.client.listAll<Route>('/v3/routes', { space_guids: t.spaceGuid });
    if (routes.length === 0) {
      ui.say('No routes found.');
      return;
    }
    const domains = new Map(
      (await t.client.listAll<Domain>('/v3/domains')).map((d) => [d.guid, d]),
    );
    const appNames = new Map<string, string>();
    for (const r of routes) {
      for (const d of r.destinations) {
        if (!appNames.has(d.app.guid)) {
          const app = await t.client
            .get<{ name: string }>(`/v3/apps/${d.app.guid}`)
            .catch(() => null);
          appNames.set(d.app.guid, app?.name ?? d.app.guid);
        }
      }
    }
    ui.table(
      ['space', 'host', 'domain', 'port', 'path', 'protocol', 'apps'],
      routes.map((r) => [
        t.config.space?.name ?? '',
        r.host,
        domains.get(r.relationships.domain.data.guid)?.name ?? '',
        '',
        r.path,
        'http',
        [...new Set(r.destinations.map((d) => appNames.get(d.app.guid) ?? ''))].join(', '),
      ]),
    );
  }

  async createRoute(domainName: string, o: RouteOptions): Promise<void> {
    const t = await spaceTarget(this.ctx);
    const url = this.urlOf(o, domainName);
    this.ctx.ui.say(
      `Creating route ${url} for org ${t.config.org?.name ?? ''} / space ${t.config.space?.name ?? ''} as ${t.config.user}...`,
    );
    const domain = await this.domain(t, domainName);
    await t.client.post('/v3/routes', this.routeBody(t, domain, o));
    this.ctx.ui.say(`Route ${url} has been created.`);
    this.ctx.ui.ok();
  }

  async deleteRoute(domainName: string, o: RouteOptions & { force?: boolean }): Promise<void> {
    const t = await spaceTarget(this.ctx);
    const url = this.urlOf(o, domainName);
    if (!(await this.ctx.confirmOrForce(`Really delete the route ${url}?`, o.force ?? false))) {
      this.ctx.ui.say(`'${url}' has not been deleted.`);
      return;
    }
    this.ctx.ui.say(`Deleting route ${url}...`);
    const route = await this.find(t, await this.domain(t, domainName), o);
    if (!route) {
      this.ctx.ui.say(
        `Unable to delete. Route with host '${o.hostname ?? ''}', domain '${domainName}'${o.path ? ` and path '${o.path}'` : ''} not found.`,
      );
      this.ctx.ui.ok();
      return;
    }
    await t.client.deleteAndWait(`/v3/routes/${route.guid}`);
    this.ctx.ui.ok();
  }

  async mapRoute(appName: string, domainName: string, o: RouteOptions): Promise<void> {
    const t = await spaceTarget(this.ctx);
    const url = this.urlOf(o, domainName);
    this.ctx.ui.say(`Mapping route ${url} to app ${appName} ${t.where.replace(/^in /, 'in ')}...`);
    const app = await requireApp(t, appName);
    const domain = await this.domain(t, domainName);
    const route =
      (await this.find(t, domain, o)) ??
      (await t.client.post<Route>('/v3/routes', this.routeBody(t, domain, o)));
    if (route.destinations.some((d) => d.app.guid === app.guid)) {
      this.ctx.ui.say(`App '${appName}' is already mapped to route '${url}'.`);
    } else {
      await t.client.post(`/v3/routes/${route.guid}/destinations`, {
        destinations: [{ app: { guid: app.guid } }],
      });
    }
    this.ctx.ui.ok();
  }

  async unmapRoute(appName: string, domainName: string, o: RouteOptions): Promise<void> {
    const t = await spaceTarget(this.ctx);
    const url = this.urlOf(o, domainName);
    this.ctx.ui.say(`Removing route ${url} from app ${appName} ${t.where}...`);
    const app = await requireApp(t, appName);
    const route = await this.find(t, await this.domain(t, domainName), o);
    const mapped = route?.destinations.filter((d) => d.app.guid === app.guid) ?? [];
    if (!route || mapped.length === 0) {
      this.ctx.ui.say(`Route to be unmapped is not currently mapped to the application.`);
      this.ctx.ui.ok();
      return;
    }
    for (const d of mapped) {
      const res = await t.client.raw('DELETE', `/v3/routes/${route.guid}/destinations/${d.guid}`);
      if (res.status >= 300) throw new CliError(`Unmapping failed: HTTP ${res.status} ${res.body}`);
    }
    this.ctx.ui.ok();
  }

  async createPrivateDomain(orgName: string, domainName: string): Promise<void> {
    const t = await spaceTarget(this.ctx);
    this.ctx.ui.say(
      `Creating private domain ${domainName} for org ${orgName} as ${t.config.user}...`,
    );
    const [org] = await t.client.listAll<{ guid: string }>('/v3/organizations', { names: orgName });
    if (!org) throw new CliError(`Organization '${orgName}' not found.`);
    await t.client.post('/v3/domains', {
      name: domainName,
      relationships: { organization: { data: { guid: org.guid } } },
    });
    this.ctx.ui.ok();
  }

  private urlOf(o: RouteOptions, domain: string): string {
    return `${o.hostname ? `${o.hostname}.` : ''}${domain}${o.path ?? ''}`;
  }

  private async domain(t: SpaceTarget, name: string): Promise<Domain> {
    const [domain] = await t.client.listAll<Domain>('/v3/domains', { names: name });
    if (!domain) throw new CliError(`Domain '${name}' not found.`);
    return domain;
  }

  private async find(t: SpaceTarget, domain: Domain, o: RouteOptions): Promise<Route | null> {
    // Empty host or path are matched below: an empty filter value would match nothing.
    const page = await t.client.get<ListResponse<Route>>('/v3/routes', {
      domain_guids: domain.guid,
      ...(o.hostname ? { hosts: o.hostname } : {}),
      ...(o.path ? { paths: o.path } : {}),
    });
    return (
      page.resources.find((r) => r.host === (o.hostname ?? '') && r.path === (o.path ?? '')) ?? null
    );
  }

  private routeBody(t: SpaceTarget, domain: Domain, o: RouteOptions) {
    return {
      host: o.hostname ?? '',
      path: o.path ?? '',
      relationships: {
        space: { data: { guid: t.spaceGuid } },
        domain: { data: { guid: domain.guid } },
      },
    };
  }
}
