import type { Command } from 'commander';
import type {
  OrganizationResource,
  ServiceBrokerResource,
  ServiceOfferingResource,
  ServicePlanResource,
  ServicePlanVisibilityResource,
} from '@wharf/contracts';
import type { CliContext } from '../cli.context';
import { CliError } from '../errors/cli.error';
import type { ApiClient } from '../http/api.client';

interface AccessOptions {
  plan?: string;
  org?: string;
  broker?: string;
}

/**
 * The catalog side of services: `marketplace`, the service brokers (`create-service-broker`,
 * `service-brokers`, `update-service-broker`, `delete-service-broker`) and plan access
 * (`enable-service-access`, `disable-service-access`, `service-access`).
 */
export class ServiceCatalogCommand {
  constructor(private readonly ctx: CliContext) {}

  register(program: Command): void {
    program
      .command('marketplace')
      .alias('m')
      .description('List service offerings and their plans')
      .option('-e, --offering <offering>', 'Show the plans of this service offering')
      .option('-b, --broker <broker>', 'Only offerings of this service broker')
      .action((o: { offering?: string; broker?: string }) => this.marketplace(o));
    program
      .command('create-service-broker')
      .alias('csb')
      .description('Register a service broker (admins)')
      .argument('<name>', 'Broker name')
      .argument('<username>', 'Basic auth user the broker expects')
      .argument('<password>', 'Basic auth password the broker expects')
      .argument('<url>', 'Broker URL')
      .action((n: string, u: string, p: string, url: string) => this.createBroker(n, u, p, url));
    program
      .command('service-brokers')
      .description('List service brokers (admins)')
      .action(() => this.brokers());
    program
      .command('update-service-broker')
      .description("Update a broker's credentials and URL, and fetch its catalog again (admins)")
      .argument('<name>', 'Broker name')
      .argument('<username>', 'Basic auth user')
      .argument('<password>', 'Basic auth password')
      .argument('<url>', 'Broker URL')
      .action((n: string, u: string, p: string, url: string) => this.updateBroker(n, u, p, url));
    program
      .command('delete-service-broker')
      .description('Delete a service broker without service instances (admins)')
      .argument('<name>', 'Broker name')
      .option('-f, --force', 'Force deletion without confirmation')
      .action((n: string, o: { force?: boolean }) => this.deleteBroker(n, o.force ?? false));
    const access = (c: Command) =>
      c
        .argument('<offering>', 'Service offering name')
        .option('-p, --plan <plan>', 'Only this plan')
        .option('-o, --org <org>', 'Only for this organization')
        .option('-b, --broker <broker>', 'The offering of this broker');
    access(
      program
        .command('enable-service-access')
        .description('Make the plans of a service offering available (to an org with -o)'),
    ).action((offering: string, o: AccessOptions) => this.setAccess(offering, o, true));
    access(
      program
        .command('disable-service-access')
        .description('Make the plans of a service offering admin-only (or remove an org with -o)'),
    ).action((offering: string, o: AccessOptions) => this.setAccess(offering, o, false));
    program
      .command('service-access')
      .description('Show which orgs may use which plans (admins)')
      .option('-e, --offering <offering>', 'Only this service offering')
      .option('-b, --broker <broker>', 'Only this service broker')
      .action((o: { offering?: string; broker?: string }) => this.access(o));
  }

  private async client(): Promise<{ client: ApiClient; user: string }> {
    const config = await this.ctx.loggedIn();
    return { client: this.ctx.apiClient(config.target), user: config.user };
  }

  async marketplace(o: { offering?: string; broker?: string }): Promise<void> {
    const { client, user } = await this.client();
    const { ui } = this.ctx;
    const brokerFilter = o.broker ? { service_broker_names: o.broker } : {};
    if (o.offering) {
      ui.say(`Getting service plan information for service offering ${o.offering} as ${user}...`);
      ui.say();
      const [offering] = await client.listAll<ServiceOfferingResource>('/v3/service_offerings', {
        names: o.offering,
        ...brokerFilter,
      });
      if (!offering) throw new CliError(`Service offering '${o.offering}' not found.`);
      const plans = await client.listAll<ServicePlanResource>('/v3/service_plans', {
        service_offering_guids: offering.guid,
      });
      if (plans.length === 0) {
        ui.say('No service plans found.');
        return;
      }
      ui.table(
        ['plan', 'description', 'free or paid', 'available'],
        plans.map((p) => [
          p.name,
          p.description,
          p.free ? 'free' : 'paid',
          p.available ? 'yes' : 'no',
        ]),
      );
      return;
    }
    ui.say(`Getting all service offerings from marketplace as ${user}...`);
    ui.say();
    const offerings = await client.listAll<ServiceOfferingResource>(
      '/v3/service_offerings',
      brokerFilter,
    );
    const plans = offerings.length
      ? await client.listAll<ServicePlanResource>('/v3/service_plans', {
          service_offering_guids: offerings.map((x) => x.guid).join(','),
        })
      : [];
    const shown = offerings.filter((x) =>
      plans.some((p) => p.relationships.service_offering.data.guid === x.guid),
    );
    if (shown.length === 0) {
      ui.say('No service offerings found.');
      return;
    }
    const brokers = await this.brokerNames(client);
    ui.table(
      ['offering', 'plans', 'description', 'broker'],
      shown.map((x) => [
        x.name,
        plans
          .filter((p) => p.relationships.service_offering.data.guid === x.guid)
          .map((p) => p.name)
          .join(', '),
        x.description,
        brokers.get(x.relationships.service_broker.data.guid) ?? '',
      ]),
    );
    ui.say();
    ui.say(
      "TIP: Use 'wharf marketplace -e SERVICE_OFFERING' to view descriptions of individual plans.",
    );
  }

  async createBroker(name: string, username: string, password: string, url: string): Promise<void> {
    const { client, user } = await this.client();
    const { ui } = this.ctx;
    ui.say(`Creating service broker ${name} as ${user}...`);
    const { job } = await client.send('POST', '/v3/service_brokers', {
      name,
      url,
      authentication: { type: 'basic', credentials: { username, password } },
    });
    if (job) await client.waitForJob(job);
    ui.ok();
  }

  async brokers(): Promise<void> {
    const { client, user } = await this.client();
    const { ui } = this.ctx;
    ui.say(`Getting service brokers as ${user}...`);
    ui.say();
    const brokers = await client.listAll<ServiceBrokerResource>('/v3/service_brokers');
    if (brokers.length === 0) {
      ui.say('No service brokers found.');
      return;
    }
    ui.table(
      ['name', 'url'],
      brokers.map((b) => [b.name, b.url]),
    );
  }

  async updateBroker(name: string, username: string, password: string, url: string): Promise<void> {
    const { client, user } = await this.client();
    const { ui } = this.ctx;
    ui.say(`Updating service broker ${name} as ${user}...`);
    const broker = await this.requireBroker(client, name);
    const { job } = await client.send('PATCH', `/v3/service_brokers/${broker.guid}`, {
      url,
      authentication: { type: 'basic', credentials: { username, password } },
    });
    if (job) await client.waitForJob(job);
    ui.ok();
  }

  async deleteBroker(name: string, force: boolean): Promise<void> {
    const { client, user } = await this.client();
    const { ui } = this.ctx;
    if (!(await this.ctx.confirmOrForce(`Really delete the service broker ${name}?`, force))) {
      ui.say('Delete cancelled');
      return;
    }
    ui.say(`Deleting service broker ${name} as ${user}...`);
    const [broker] = await client.listAll<ServiceBrokerResource>('/v3/service_brokers', {
      names: name,
    });
    if (!broker) {
      ui.say(`Service broker '${name}' does not exist.`);
      ui.ok();
      return;
    }
    await client.deleteAndWait(`/v3/service_brokers/${broker.guid}`);
    ui.ok();
  }

  async setAccess(offeringName: string, o: AccessOptions, enable: boolean): Promise<void> {
    const { client, user } = await this.client();
    const { ui } = this.ctx;
    const scope = `${o.plan ? `plan ${o.plan}` : 'all plans'} of service offering ${offeringName}`;
    ui.say(
      `${enable ? 'Enabling' : 'Disabling'} access to ${scope}${o.org ? ` for org ${o.org}` : enable ? ' for all orgs' : ''} as ${user}...`,
    );
    const offerings = await client.listAll<ServiceOfferingResource>('/v3/service_offerings', {
      names: offeringName,
      ...(o.broker ? { service_broker_names: o.broker } : {}),
    });
    if (offerings.length === 0) throw new CliError(`Service offering '${offeringName}' not found.`);
    if (offerings.length > 1)
      throw new CliError(
        `Service offering '${offeringName}' is provided by several service brokers: give one with -b.`,
      );
    const [offering] = offerings;
    let plans = await client.listAll<ServicePlanResource>('/v3/service_plans', {
      service_offering_guids: offering?.guid,
    });
    if (o.plan) {
      plans = plans.filter((p) => p.name === o.plan);
      if (plans.length === 0)
        throw new CliError(
          `The plan ${o.plan} could not be found for service offering ${offeringName}.`,
        );
    }
    let orgGuid: string | undefined;
    if (o.org) {
      const [org] = await client.listAll<OrganizationResource>('/v3/organizations', {
        names: o.org,
      });
      if (!org) throw new CliError(`Organization '${o.org}' not found.`);
      orgGuid = org.guid;
    }
    for (const plan of plans) {
      const path = `/v3/service_plans/${plan.guid}/visibility`;
      if (enable && orgGuid) {
        if (plan.visibility_type === 'public') continue;
        await client.post(path, { type: 'organization', organizations: [{ guid: orgGuid }] });
      } else if (enable) await client.patch(path, { type: 'public' });
      else if (orgGuid) {
        if (plan.visibility_type === 'organization')
          await client.deleteAndWait(`${path}/${orgGuid}`).catch(() => undefined);
      } else await client.patch(path, { type: 'admin' });
    }
    ui.ok();
  }

  async access(o: { offering?: string; broker?: string }): Promise<void> {
    const { client, user } = await this.client();
    const { ui } = this.ctx;
    ui.say(`Getting service access as ${user}...`);
    ui.say();
    const offerings = await client.listAll<ServiceOfferingResource>('/v3/service_offerings', {
      ...(o.offering ? { names: o.offering } : {}),
      ...(o.broker ? { service_broker_names: o.broker } : {}),
    });
    if (offerings.length === 0) {
      ui.say('No service offerings found.');
      return;
    }
    const plans = await client.listAll<ServicePlanResource>('/v3/service_plans', {
      service_offering_guids: offerings.map((x) => x.guid).join(','),
    });
    const brokers = await this.brokerNames(client);
    const rows: string[][] = [];
    for (const x of offerings)
      for (const p of plans.filter(
        (pl) => pl.relationships.service_offering.data.guid === x.guid,
      )) {
        let orgs = '';
        if (p.visibility_type === 'organization') {
          const v = await client.get<ServicePlanVisibilityResource>(
            `/v3/service_plans/${p.guid}/visibility`,
          );
          orgs = (v.organizations ?? []).map((org) => org.name).join(', ');
        }
        rows.push([
          brokers.get(x.relationships.service_broker.data.guid) ?? '',
          x.name,
          p.name,
          p.visibility_type === 'public'
            ? 'all'
            : p.visibility_type === 'admin'
              ? 'none'
              : 'limited',
          orgs,
        ]);
      }
    ui.table(['broker', 'offering', 'plan', 'access', 'orgs'], rows);
  }

  private async brokerNames(client: ApiClient): Promise<Map<string, string>> {
    // Only admins may list brokers; others see offerings without broker names.
    const brokers = await client
      .listAll<ServiceBrokerResource>('/v3/service_brokers')
      .catch(() => [] as ServiceBrokerResource[]);
    return new Map(brokers.map((b) => [b.guid, b.name]));
  }

  private async requireBroker(client: ApiClient, name: string): Promise<ServiceBrokerResource> {
    const [broker] = await client.listAll<ServiceBrokerResource>('/v3/service_brokers', {
      names: name,
    });
    if (!broker) throw new CliError(`Service broker '${name}' not found.`);
    return broker;
  }
}
