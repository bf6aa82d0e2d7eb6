import type { Command } from 'commander';
import type { AppResource, ServiceInstanceResource, SpaceQuotaResource } from '@wharf/contracts';
import type { CliContext, LoggedInConfig } from '../cli.context';
import type { TargetRef } from '../config/cli-config.store';
import { ApiError } from '../errors/api.error';
import { CliError } from '../errors/cli.error';
import { byName, findOrg, findSpace, listSpaces } from '../http/identity.queries';

interface OrgOption {
  org?: string;
}

interface DeleteOptions extends OrgOption {
  force?: boolean;
}

/** `spaces`, `space`, `create-space`, `delete-space`: in the targeted org, or the one given with -o. */
export class SpacesCommand {
  constructor(private readonly ctx: CliContext) {}

  register(program: Command): void {
    program
      .command('spaces')
      .description('List all spaces in the targeted org')
      .action(() => this.list());
    program
      .command('space')
      .description('Show space info')
      .argument('<name>', 'Space name')
      .option('--guid', 'Retrieve and display the given space guid only')
      .action((name: string, options: { guid?: boolean }) => this.show(name, options));
    program
      .command('create-space')
      .alias('csp')
      .description('Create a space')
      .argument('<name>', 'Space name')
      .option('-o, --org <org>', 'Organization (default: the targeted org)')
      .action((name: string, options: OrgOption) => this.create(name, options));
    program
      .command('delete-space')
      .description('Delete a space')
      .argument('<name>', 'Space name')
      .option('-o, --org <org>', 'Delete space within specified org (default: the targeted org)')
      .option('-f, --force', 'Force deletion without confirmation')
      .action((name: string, options: DeleteOptions) => this.delete(name, options));
  }

  async list(): Promise<void> {
    const config = await this.ctx.orgTargeted();
    const { ui } = this.ctx;
    ui.say(`Getting spaces in org ${config.org.name} as ${config.user}...`);
    ui.say();
    const spaces = await listSpaces(this.ctx.apiClient(config.target), config.org.guid);
    if (spaces.length === 0) {
      ui.say('No spaces found.');
      return;
    }
    ui.table(
      ['name'],
      spaces.sort(byName).map((s) => [s.name]),
    );
  }

  /** As `cf space`: its org, apps, service instances and space quota. */
  async show(name: string, options: { guid?: boolean }): Promise<void> {
    const config = await this.ctx.orgTargeted();
    const { ui } = this.ctx;
    const client = this.ctx.apiClient(config.target);
    const space = await findSpace(client, config.org.guid, name);
    if (!space) throw new CliError(`Space '${name}' not found.`);
    if (options.guid) {
      ui.say(space.guid);
      return;
    }
    ui.say(`Getting info for space ${space.name} in org ${config.org.name} as ${config.user}...`);
    ui.say();
    const [apps, services, quotas] = await Promise.all([
      client.listAll<AppResource>('/v3/apps', { space_guids: space.guid }),
      client.listAll<ServiceInstanceResource>('/v3/service_instances', {
        space_guids: space.guid,
      }),
      client.listAll<SpaceQuotaResource>('/v3/space_quotas', { space_guids: space.guid }),
    ]);
    const names = (xs: { name: string }[]) =>
      xs
        .sort(byName)
        .map((x) => x.name)
        .join(', ');
    ui.keyValues([
      ['name', space.name],
      ['org', config.org.name],
      ['apps', names(apps)],
      ['services', names(services)],
      ['space quota', names(quotas)],
    ]);
  }

  async create(name: string, options: OrgOption): Promise<void> {
    const config = await this.ctx.loggedIn();
    const { ui } = this.ctx;
    const client = this.ctx.apiClient(config.target);
    const org = await this.org(config, options.org);
    ui.say(`Creating space ${name} in org ${org.name} as ${config.user}...`);
    try {
      await client.post('/v3/spaces', {
        name,
        relationships: { organization: { data: { guid: org.guid } } },
      });
    } catch (err) {
      if (!(err instanceof ApiError && err.nameTaken)) throw err;
      ui.say(`Space ${name} already exists.`);
      ui.ok();
      return;
    }
    ui.ok();
    ui.say();
    ui.say(`TIP: Use 'wharf target -o "${org.name}" -s "${name}"' to target new space`);
  }

  async delete(name: string, options: DeleteOptions): Promise<void> {
    const config = await this.ctx.loggedIn();
    const { ui } = this.ctx;
    const org = await this.org(config, options.org);
    const confirmed = await this.ctx.confirmOrForce(
      `Really delete the space ${name}?`,
      options.force === true,
    );
    if (!confirmed) {
      ui.say('Delete cancelled');
      return;
    }
    ui.say(`Deleting space ${name} in org ${org.name} as ${config.user}...`);
    const client = this.ctx.apiClient(config.target);
    const space = await findSpace(client, org.guid, name);
    if (!space) {
      ui.say(`Space ${name} does not exist.`);
      ui.ok();
      return;
    }
    await client.deleteAndWait(`/v3/spaces/${space.guid}`);
    const after = await this.ctx.store.update((c) =>
      c.space?.guid === space.guid ? { ...c, space: undefined } : c,
    );
    ui.ok();
    if (config.space?.guid === space.guid && !after.space) {
      ui.say();
      ui.say("TIP: No space targeted, use 'wharf target -s' to target a space.");
    }
  }

  /** The org named with -o, else the targeted one. */
  private async org(config: LoggedInConfig, name: string | undefined): Promise<TargetRef> {
    if (name === undefined) {
      if (!config.org) throw CliError.noOrg();
      return config.org;
    }
    const org = await findOrg(this.ctx.apiClient(config.target), name);
    if (!org) throw new CliError(`Organization '${name}' not found.`);
    return { guid: org.guid, name: org.name };
  }
}
