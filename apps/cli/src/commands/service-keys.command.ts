import type { Command } from 'commander';
import type {
  CredentialBindingResource as BindingResource,
  ServiceInstanceResource as InstanceResource,
} from '@wharf/contracts';
import type { CliContext } from '../cli.context';
import { CliError } from '../errors/cli.error';
import { spaceTarget, SpaceTarget } from '../push/space-target';
import { followServiceJob } from '../services/service-operation';
import { parametersOption } from './services.command';

/** `create-service-key`, `service-keys`, `service-key`, `delete-service-key`. */
export class ServiceKeysCommand {
  constructor(private readonly ctx: CliContext) {}

  register(program: Command): void {
    program
      .command('create-service-key')
      .alias('csk')
      .description('Create credentials for a service instance that no app holds (a service key)')
      .argument('<service>', 'Service instance name')
      .argument('<key>', 'Service key name')
      .option(
        '-c, --config <parameters>',
        'Parameters for the broker: a JSON object or a file path',
      )
      .action((s: string, k: string, o: { config?: string }) =>
        this.create(s, k, parametersOption(o.config)),
      );
    program
      .command('service-keys')
      .alias('sk')
      .description('List the keys of a service instance')
      .argument('<service>', 'Service instance name')
      .action((s: string) => this.list(s));
    program
      .command('service-key')
      .description("Show a service key's credentials")
      .argument('<service>', 'Service instance name')
      .argument('<key>', 'Service key name')
      .option('--guid', 'Retrieve and display the given service key guid only')
      .action((s: string, k: string, o: { guid?: boolean }) => this.show(s, k, o.guid ?? false));
    program
      .command('delete-service-key')
      .alias('dsk')
      .description('Delete a service key (its credentials stop working)')
      .argument('<service>', 'Service instance name')
      .argument('<key>', 'Service key name')
      .option('-f, --force', 'Force deletion without confirmation')
      .action((s: string, k: string, o: { force?: boolean }) =>
        this.remove(s, k, o.force ?? false),
      );
  }

  async create(service: string, key: string, parameters?: Record<string, unknown>): Promise<void> {
    const t = await spaceTarget(this.ctx);
    const { ui } = this.ctx;
    ui.say(`Creating service key ${key} for service instance ${service} ${t.where}...`);
    const instance = await this.requireInstance(t, service);
    const { job } = await t.client.send('POST', '/v3/service_credential_bindings', {
      type: 'key',
      name: key,
      ...(parameters ? { parameters } : {}),
      relationships: { service_instance: { data: { guid: instance.guid } } },
    });
    if (job)
      await followServiceJob(
        t.client,
        ui,
        job,
        async () => (await this.findKey(t, instance, key))?.last_operation,
      );
    ui.ok();
  }

  async list(service: string): Promise<void> {
    const t = await spaceTarget(this.ctx);
    const { ui } = this.ctx;
    ui.say(`Getting keys for service instance ${service} ${t.where}...`);
    ui.say();
    const instance = await this.requireInstance(t, service);
    const keys = await t.client.listAll<BindingResource>('/v3/service_credential_bindings', {
      service_instance_guids: instance.guid,
      type: 'key',
    });
    if (keys.length === 0) {
      ui.say(`No service keys for service instance ${service}`);
      return;
    }
    ui.table(
      ['name', 'last operation', 'message'],
      keys.map((k) => [
        k.name ?? '',
        `${k.last_operation.type} ${k.last_operation.state}`,
        k.last_operation.description ?? '',
      ]),
    );
  }

  async show(service: string, key: string, guidOnly: boolean): Promise<void> {
    const t = await spaceTarget(this.ctx);
    const { ui } = this.ctx;
    const instance = await this.requireInstance(t, service);
    const found = await this.findKey(t, instance, key);
    if (!found) throw new CliError(`No service key ${key} found for service instance ${service}`);
    if (guidOnly) {
      ui.say(found.guid);
      return;
    }
    ui.say(`Getting key ${key} for service instance ${service} ${t.where}...`);
    ui.say();
    const details = await t.client.get<{ credentials: Record<string, unknown> }>(
      `/v3/service_credential_bindings/${found.guid}/details`,
    );
    ui.say(JSON.stringify(details.credentials, null, 2));
  }

  async remove(service: string, key: string, force: boolean): Promise<void> {
    const t = await spaceTarget(this.ctx);
    const { ui } = this.ctx;
    if (!(await this.ctx.confirmOrForce(`Really delete the service key ${key}?`, force))) {
      ui.say('Delete cancelled');
      return;
    }
    ui.say(`Deleting key ${key} for service instance ${service} ${t.where}...`);
    const instance = await this.requireInstance(t, service);
    const found = await this.findKey(t, instance, key);
    if (!found) {
      ui.say(`Service key ${key} does not exist for service instance ${service}.`);
      ui.ok();
      return;
    }
    await t.client.deleteAndWait(`/v3/service_credential_bindings/${found.guid}`);
    ui.ok();
  }

  private async findKey(
    t: SpaceTarget,
    instance: InstanceResource,
    key: string,
  ): Promise<BindingResource | undefined> {
    const [found] = await t.client.listAll<BindingResource>('/v3/service_credential_bindings', {
      service_instance_guids: instance.guid,
      type: 'key',
      names: key,
    });
    return found;
  }

  private async requireInstance(t: SpaceTarget, name: string): Promise<InstanceResource> {
    const [instance] = await t.client.listAll<InstanceResource>('/v3/service_instances', {
      names: name,
      space_guids: t.spaceGuid,
    });
    if (!instance) throw new CliError(`Service instance '${name}' not found`);
    return instance;
  }
}
