import type { Command } from 'commander';
import type { DomainResource, OrganizationQuotaResource } from '@wharf/contracts';
import type { CliContext } from '../cli.context';
import { ApiError } from '../errors/api.error';
import { CliError } from '../errors/cli.error';
import { byName, findOrg, listOrgs, listSpaces } from '../http/identity.queries';

interface DeleteOptions {
  force?: boolean;
}

/** `orgs`, `org`, `create-org`, `delete-org`. */
export class OrgsCommand {
  constructor(private readonly ctx: CliContext) {}

  register(program: Command): void {
    program
      .command('orgs')
      .alias('o')
      .description('List all orgs')
      .action(() => this.list());
    program
      .command('org')
      .description('Show org info')
      .argument('<name>', 'Org name')
      .option('--guid', 'Retrieve and display the given org guid only')
      .action((name: string, options: { guid?: boolean }) => this.show(name, options));
    program
      .command('create-org')
      .alias('co')
      .description('Create an org')
      .argument('<name>', 'Org name')
      .action((name: string) => this.create(name));
    program
      .command('delete-org')
      .description('Delete an org')
      .argument('<name>', 'Org name')
      .option('-f, --force', 'Force deletion without confirmation')
      .action((name: string, options: DeleteOptions) => this.delete(name, options));
  }

  async list(): Promise<void> {
    const config = await this.ctx.loggedIn();
    const { ui } = this.ctx;
    ui.say(`Getting orgs as ${config.user}...`);
    ui.say();
    const orgs = await listOrgs(this.ctx.apiClient(config.target));
    if (orgs.length === 0) {
      ui.say('No orgs found.');
      return;
    }
    ui.table(
      ['name'],
      orgs.sort(byName).map((o) => [o.name]),
    );
  }

  /** As `cf org`: its domains (shared and its own), quota and spaces. */
  async show(name: string, options: { guid?: boolean }): Promise<void> {
    const config = await this.ctx.loggedIn();
    const { ui } = this.ctx;
    const client = this.ctx.apiClient(config.target);
    const org = await findOrg(client, name);
    if (!org) throw new CliError(`Organization '${name}' not found.`);
    if (options.guid) {
      ui.say(org.guid);
      return;
    }
    ui.say(`Getting info for org ${org.name} as ${config.user}...`);
    ui.say();
    const [domains, quotas, spaces] = await Promise.all([
      client.listAll<DomainResource>('/v3/domains'),
      client.listAll<OrganizationQuotaResource>('/v3/organization_quotas', {
        organization_guids: org.guid,
      }),
      listSpaces(client, org.guid),
    ]);
    const own = (d: DomainResource) => {
      const owner = d.relationships.organization.data?.guid;
      return owner === undefined || owner === org.guid;
    };
    ui.keyValues([
      ['name', org.name],
      [
        'domains',
        domains
          .filter(own)
          .map((d) => d.name)
          .join(', '),
      ],
      ['quota', quotas.map((q) => q.name).join(', ')],
      [
        'spaces',
        spaces
          .sort(byName)
          .map((s) => s.name)
          .join(', '),
      ],
    ]);
  }

  async create(name: string): Promise<void> {
    const config = await this.ctx.loggedIn();
    const { ui } = this.ctx;
    ui.say(`Creating org ${name} as ${config.user}...`);
    try {
      await this.ctx.apiClient(config.target).post('/v3/organizations', { name });
    } catch (err) {
      if (!(err instanceof ApiError && err.nameTaken)) throw err;
      ui.say(`Org ${name} already exists.`);
      ui.ok();
      return;
    }
    ui.ok();
    ui.say();
    ui.say(`TIP: Use 'wharf target -o "${name}"' to target new org`);
  }

  async delete(name: string, options: DeleteOptions): Promise<void> {
    const config = await this.ctx.loggedIn();
    const { ui } = this.ctx;
    const confirmed = await this.ctx.confirmOrForce(
      `Really delete the org ${name}, including its spaces, apps, service instances, routes, private domains and space-scoped service brokers?`,
      options.force === true,
    );
    if (!confirmed) {
      ui.say('Delete cancelled');
      return;
    }
    ui.say(`Deleting org ${name} as ${config.user}...`);
    const client = this.ctx.apiClient(config.target);
    const org = await findOrg(client, name);
    if (!org) {
      ui.say(`Org ${name} does not exist.`);
      ui.ok();
      return;
    }
    await client.deleteAndWait(`/v3/organizations/${org.guid}`);
    await this.ctx.store.update((c) =>
      c.org?.guid === org.guid ? { ...c, org: undefined, space: undefined } : c,
    );
    ui.ok();
  }
}
