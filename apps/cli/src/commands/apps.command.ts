import type { Command } from 'commander';
import { parseMegabytes } from '@wharf/contracts';
import type {
  AppResource,
  PackageResource,
  ProcessResource,
  ProcessStatsResponse,
} from '@wharf/contracts';
import type { CliContext } from '../cli.context';
import { CliError } from '../errors/cli.error';
import { deploy, DeployRequest, strategyOf } from '../push/deployer';
import { findAppByName, requireApp, spaceTarget, SpaceTarget } from '../push/space-target';
import { stagePackage } from '../push/stager';
import { currentInstanceGuids, waitForStart } from '../push/start-waiter';
import { routeUrls, runningCount } from '../push/app-summary.view';
import { showApp } from './push.command';

export const megabytes = (flag: string, value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const mb = parseMegabytes(value);
  if (mb === null || mb <= 0) {
    throw new CliError(
      `Incorrect Usage: ${flag} takes a size with a unit (B, K, KB, M, MB, G, GB, T, TB), e.g. 256M; got '${value}'.`,
    );
  }
  return mb;
};

/** apps, app, start, stop, restart, restage, delete, scale, restart-app-instance. */
export class AppsCommand {
  constructor(private readonly ctx: CliContext) {}

  register(program: Command): void {
    program
      .command('apps')
      .alias('a')
      .description('List all apps in the target space')
      .action(() => this.apps());
    program
      .command('app')
      .description('Display health and status for an app')
      .argument('<app>', 'App name')
      .option('--guid', 'Print only the guid')
      .action((name: string, o: { guid?: boolean }) => this.app(name, o.guid ?? false));
    program
      .command('start')
      .alias('st')
      .description('Start an app')
      .argument('<app>', 'App name')
      .action((n: string) => this.start(n));
    program
      .command('stop')
      .alias('sp')
      .description('Stop an app')
      .argument('<app>', 'App name')
      .action((n: string) => this.stop(n));
    program
      .command('restart')
      .alias('rs')
      .description(
        'Restart an app: new instances replace the old ones one at a time, without downtime',
      )
      .argument('<app>', 'App name')
      .option('--strategy <strategy>', 'Deployment strategy: rolling or canary')
      .option('--max-in-flight <n>', 'New instances started at once with --strategy (default 1)')
      .action((n: string, o: { strategy?: string; maxInFlight?: string }) => this.restart(n, o));
    program
      .command('restage')
      .alias('rg')
      .description('Stage the app again from its newest package, then restart it')
      .argument('<app>', 'App name')
      .option('--strategy <strategy>', 'Deployment strategy: rolling or canary')
      .option('--max-in-flight <n>', 'New instances started at once with --strategy (default 1)')
      .action((n: string, o: { strategy?: string; maxInFlight?: string }) => this.restage(n, o));
    program
      .command('delete')
      .alias('d')
      .description('Delete an app')
      .argument('<app>', 'App name')
      .option('-f, --force', 'Force deletion without confirmation')
      .option('-r, --delete-routes', 'Also delete any mapped routes')
      .action((n: string, o: { force?: boolean; deleteRoutes?: boolean }) =>
        this.delete(n, o.force ?? false, o.deleteRoutes ?? false),
      );
    program
      .command('scale')
      .description(
        'Change or view the instance count, disk space limit, and memory limit for an app',
      )
      .argument('<app>', 'App name')
      .option('-i, --instances <n>', 'Number of instances')
      .option('-m, --memory <size>', 'Memory limit (e.g. 256M, 1G)')
      .option('-k, --disk <size>', 'Disk limit (e.g. 512M, 1G)')
      .option('--process <type>', 'Process type', 'web')
      .option('-f, --force', 'Restart without asking when memory or disk change')
      .action((n: string, o: ScaleOptions) => this.scale(n, o));
    program
      .command('restart-app-instance')
      .description('Terminate, then instantiate an app instance')
      .argument('<app>', 'App name')
      .argument('<index>', 'Instance index')
      .option('--process <type>', 'Process type', 'web')
      .action((n: string, index: string, o: { process: string }) =>
        this.restartInstance(n, index, o.process),
      );
  }

  async apps(): Promise<void> {
    const t = await spaceTarget(this.ctx);
    const { ui } = this.ctx;
    ui.say(`Getting apps ${t.where}...`);
    ui.say();
    const apps = await t.client.listAll<AppResource>('/v3/apps', { space_guids: t.spaceGuid });
    if (apps.length === 0) {
      ui.say('No apps found');
      return;
    }
    const rows = await Promise.all(
      apps
        .sort((a, b) => a.name.localeCompare(b.name))
        .map(async (app) => {
          const processes = await t.client.listAll<ProcessResource>(
            `/v3/apps/${app.guid}/processes`,
          );
          const parts = await Promise.all(
            processes.map(async (p) => {
              const stats = (
                await t.client.get<ProcessStatsResponse>(`/v3/processes/${p.guid}/stats`)
              ).resources;
              return `${p.type}:${runningCount(stats)}/${p.instances}`;
            }),
          );
          const routes = await routeUrls(t.client, app.guid);
          return [app.name, app.state.toLowerCase(), parts.join(', '), routes.join(', ')];
        }),
    );
    ui.table(['name', 'requested state', 'processes', 'routes'], rows);
  }

  async app(name: string, guidOnly: boolean): Promise<void> {
    const t = await spaceTarget(this.ctx);
    if (guidOnly) {
      this.ctx.ui.say((await requireApp(t, name)).guid);
      return;
    }
    this.ctx.ui.say(`Showing health and status for app ${name} ${t.where}...`);
    this.ctx.ui.say();
    const app = await requireApp(t, name);
    await showApp(this.ctx, t, app.guid);
  }

  async start(name: string): Promise<void> {
    const t = await spaceTarget(this.ctx);
    const { ui } = this.ctx;
    ui.say(`Starting app ${name} ${t.where}...`);
    const app = await requireApp(t, name);
    if (app.state === 'STARTED') {
      ui.say();
      ui.say(`App '${name}' is already started.`);
      ui.ok();
      return;
    }
    // Instances still there from before the stop are not the ones this start asks for.
    const replacing = await currentInstanceGuids(t.client, app);
    await t.client.post(`/v3/apps/${app.guid}/actions/start`, {});
    ui.say();
    ui.say(`Waiting for app ${name} to start...`);
    ui.say();
    await waitForStart(t.client, app, { replacing });
    await showApp(this.ctx, t, app.guid);
  }

  async stop(name: string): Promise<void> {
    const t = await spaceTarget(this.ctx);
    const { ui } = this.ctx;
    ui.say(`Stopping app ${name} ${t.where}...`);
    const app = await requireApp(t, name);
    if (app.state === 'STOPPED') {
      ui.say(`App '${name}' is already stopped.`);
    } else {
      await t.client.post(`/v3/apps/${app.guid}/actions/stop`, {});
    }
    ui.ok();
  }

  async restart(name: string, o: { strategy?: string; maxInFlight?: string } = {}): Promise<void> {
    const rollout = strategyOf(o);
    const t = await spaceTarget(this.ctx);
    const { ui } = this.ctx;
    ui.say(`Restarting app ${name} ${t.where}...`);
    const app = await requireApp(t, name);
    if (rollout.strategy) {
      ui.say();
      await this.deployAndShow(t, app, {
        strategy: rollout.strategy,
        maxInFlight: rollout.maxInFlight,
      });
      return;
    }
    const replacing = await currentInstanceGuids(t.client, app);
    await t.client.post(`/v3/apps/${app.guid}/actions/restart`, {});
    ui.say();
    ui.say(`Waiting for app ${name} to start...`);
    ui.say();
    await waitForStart(t.client, app, { replacing });
    await showApp(this.ctx, t, app.guid);
  }

  async restage(name: string, o: { strategy?: string; maxInFlight?: string } = {}): Promise<void> {
    const rollout = strategyOf(o);
    const t = await spaceTarget(this.ctx);
    const { ui } = this.ctx;
    ui.say(`Restaging app ${name} ${t.where}...`);
    ui.say();
    const app = await requireApp(t, name);
    const [pkg] = (
      await t.client.get<{ resources: PackageResource[] }>(`/v3/apps/${app.guid}/packages`, {
        states: 'READY',
        order_by: '-created_at',
        per_page: '1',
      })
    ).resources;
    if (!pkg) throw new CliError(`App '${name}' has no uploaded package to stage; push it first.`);
    ui.say('Staging app and tracing logs...');
    const droplet = await stagePackage(t.client, ui, app, pkg);
    if (rollout.strategy) {
      await this.deployAndShow(t, app, {
        strategy: rollout.strategy,
        maxInFlight: rollout.maxInFlight,
        droplet,
      });
      return;
    }
    // The instances running the old droplet are the ones restart replaces: waiting for them to
    // be gone is what makes "started" mean "runs the new droplet".
    const replacing = await currentInstanceGuids(t.client, app);
    await t.client.patch(`/v3/apps/${app.guid}/relationships/current_droplet`, {
      data: { guid: droplet },
    });
    await t.client.post(`/v3/apps/${app.guid}/actions/restart`, {});
    ui.say(`Waiting for app ${name} to start...`);
    ui.say();
    await waitForStart(t.client, app, { replacing });
    await showApp(this.ctx, t, app.guid);
  }

  /** A deployment instead of a restart: the app serves throughout (cf's --strategy). */
  private async deployAndShow(
    t: SpaceTarget,
    app: AppResource,
    request: DeployRequest,
  ): Promise<void> {
    await deploy(this.ctx, t, app, request);
    await showApp(this.ctx, t, app.guid);
  }

  async delete(name: string, force: boolean, deleteRoutes = false): Promise<void> {
    const t = await spaceTarget(this.ctx);
    const { ui } = this.ctx;
    if (!(await this.ctx.confirmOrForce(`Really delete the app ${name}?`, force))) {
      ui.say('Delete cancelled');
      return;
    }
    ui.say(`Deleting app ${name} ${t.where}...`);
    const app = await findAppByName(t, name);
    if (!app) {
      ui.say(`App '${name}' does not exist.`);
      ui.ok();
      return;
    }
    const routes = deleteRoutes
      ? await t.client.listAll<{ guid: string; url: string }>(`/v3/apps/${app.guid}/routes`)
      : [];
    await t.client.deleteAndWait(`/v3/apps/${app.guid}`);
    for (const route of routes) {
      ui.say(`Deleting route ${route.url}...`);
      await t.client.deleteAndWait(`/v3/routes/${route.guid}`);
    }
    ui.ok();
  }

  async scale(name: string, o: ScaleOptions): Promise<void> {
    const t = await spaceTarget(this.ctx);
    const { ui } = this.ctx;
    const instances = o.instances === undefined ? undefined : Number(o.instances);
    if (instances !== undefined && (!Number.isInteger(instances) || instances < 0)) {
      throw new CliError(
        `Incorrect Usage: -i takes a whole number of instances, not '${o.instances ?? ''}'.`,
      );
    }
    const memory = megabytes('-m', o.memory);
    const disk = megabytes('-k', o.disk);
    const app = await requireApp(t, name);
    if (instances === undefined && memory === undefined && disk === undefined) {
      ui.say(`Showing current scale of app ${name} ${t.where}...`);
      ui.say();
      await showApp(this.ctx, t, app.guid);
      return;
    }
    const restart = memory !== undefined || disk !== undefined;
    if (restart && app.state === 'STARTED') {
      const ok = await this.ctx.confirmOrForce(
        `This will cause the app to restart. Are you sure you want to scale ${name}?`,
        o.force ?? false,
      );
      if (!ok) {
        ui.say('Scaling cancelled');
        return;
      }
    }
    ui.say(`Scaling app ${name} ${t.where}...`);
    const replacing =
      restart && app.state === 'STARTED' ? await currentInstanceGuids(t.client, app) : undefined;
    await t.client.post(`/v3/apps/${app.guid}/processes/${o.process}/actions/scale`, {
      ...(instances !== undefined ? { instances } : {}),
      ...(memory !== undefined ? { memory_in_mb: memory } : {}),
      ...(disk !== undefined ? { disk_in_mb: disk } : {}),
    });
    if (restart && app.state === 'STARTED') {
      ui.say(`Stopping app ${name} ${t.where}...`);
      await t.client.post(`/v3/apps/${app.guid}/actions/restart`, {});
      ui.say(`Waiting for app ${name} to start...`);
      ui.say();
      await waitForStart(t.client, app, { replacing });
    }
    await showApp(this.ctx, t, app.guid);
  }

  async restartInstance(name: string, index: string, type: string): Promise<void> {
    const t = await spaceTarget(this.ctx);
    const { ui } = this.ctx;
    ui.say(`Restarting instance ${index} of process ${type} of app ${name} ${t.where}...`);
    if (!/^\d+$/.test(index))
      throw new CliError(`Incorrect Usage: INDEX must be a whole number, not '${index}'.`);
    const app = await requireApp(t, name);
    await t.client
      .raw('DELETE', `/v3/apps/${app.guid}/processes/${type}/instances/${index}`)
      .then((res) => {
        if (res.status === 404)
          throw new CliError(`Instance ${index} of process ${type} not found.`);
        if (res.status >= 300)
          throw new CliError(`Restarting the instance failed: HTTP ${res.status} ${res.body}`);
      });
    ui.ok();
  }
}

interface ScaleOptions {
  instances?: string;
  memory?: string;
  disk?: string;
  process: string;
  force?: boolean;
}
