import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { AppResource, PackageResource } from '@wharf/contracts';
import type { CliContext } from '../cli.context';
import { CliError } from '../errors/cli.error';
import { multipartBody } from '../push/multipart-body';
import { listAppFiles, writeArchive } from '../push/package-archiver';
import { planPush, PushFlags, PushPlan } from '../push/push-manifest';
import {
  bytes,
  currentDroplet,
  loadProcesses,
  printAppSummary,
  routeUrls,
} from '../push/app-summary.view';
import { requireApp, spaceTarget, SpaceTarget } from '../push/space-target';
import { mapPushRoutes } from '../push/route-mapper';
import { stagePackage } from '../push/stager';
import { waitForStart } from '../push/start-waiter';
import {
  activeDeployment,
  deploy,
  sayActiveDeployment,
  strategyOf,
  Strategy,
} from '../push/deployer';

interface PushOptions {
  buildpack?: string[];
  startCommand?: string;
  instances?: string;
  memory?: string;
  diskQuota?: string;
  path?: string;
  healthCheckType?: string;
  endpoint?: string;
  timeout?: string;
  manifest?: string;
  start: boolean;
  noManifest?: boolean;
  route: boolean;
  randomRoute?: boolean;
  strategy?: string;
  maxInFlight?: string;
}

const integer = (flag: string, value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value))
    throw new CliError(`Incorrect Usage: ${flag} must be a whole number, not '${value}'.`);
  return Number(value);
};

/** `wharf push`: cf's push for buildpack apps (docs/architecture.md#the-push-flow). */
export class PushCommand {
  constructor(private readonly ctx: CliContext) {}

  register(program: Command): void {
    program
      .command('push')
      .alias('p')
      .description('Push a new app or sync changes to an existing app')
      .argument('[app]', 'App name (required without a manifest; picks one app of a manifest)')
      .option(
        '-b, --buildpack <name>',
        'Buildpack to use (repeat for several)',
        (v: string, acc: string[] = []) => [...acc, v],
      )
      .option('-c, --start-command <command>', 'Start command for the web process')
      .option('-i, --instances <n>', 'Number of instances')
      .option('-m, --memory <size>', 'Memory limit (e.g. 256M, 1024M, 1G)')
      .option('-k, --disk-quota <size>', 'Disk limit (e.g. 256M, 1024M, 1G)')
      .option('-p, --path <dir>', 'Path to the app directory')
      .addOption(
        new Option('-u, --health-check-type <type>', 'Health check type').choices([
          'port',
          'http',
          'process',
          'none',
        ]),
      )
      .option('--endpoint <path>', 'Endpoint of the http health check')
      .option('-t, --timeout <seconds>', 'Seconds the app may take to become healthy (max 180)')
      .option('-f, --manifest <file>', 'Path to the manifest')
      .option('--no-start', 'Do not start the app after pushing')
      .option('--no-manifest', 'Ignore the manifest file')
      .option('--no-route', 'Do not map a route to this app')
      .option('--random-route', 'Create a random route for this app')
      .option(
        '--strategy <strategy>',
        'Deployment strategy: rolling or canary (default: stop the app, then start it)',
      )
      .option('--max-in-flight <n>', 'New instances started at once with --strategy (default 1)')
      .action((app: string | undefined, o: PushOptions) => this.push(app, o));
  }

  async push(appName: string | undefined, o: PushOptions): Promise<void> {
    const deployment = strategyOf(o);
    if (deployment.strategy && !o.start) {
      throw new CliError(
        'Incorrect Usage: The following arguments cannot be used together: --no-start, --strategy',
      );
    }
    const t = await spaceTarget(this.ctx);
    const flags: PushFlags = {
      buildpacks: o.buildpack,
      command: o.startCommand,
      instances: integer('-i', o.instances),
      memory: o.memory,
      disk: o.diskQuota,
      path: o.path,
      healthCheckType: o.healthCheckType === 'none' ? 'process' : o.healthCheckType,
      endpoint: o.endpoint,
      timeout: integer('-t', o.timeout),
      noRoute: o.route === false,
      randomRoute: o.randomRoute,
    };
    const plans = await planPush({
      cwd: process.cwd(),
      appName,
      manifestPath: typeof o.manifest === 'string' ? o.manifest : undefined,
      // commander turns --no-manifest into manifest === false, and -f into a string.
      noManifest: (o.manifest as unknown) === false,
      flags,
    });
    for (const plan of plans) await this.pushOne(t, plan, o.start, deployment);
  }

  private async pushOne(
    t: SpaceTarget,
    plan: PushPlan,
    start: boolean,
    rollout: { strategy?: Strategy; maxInFlight?: number },
  ): Promise<void> {
    const { ui } = this.ctx;
    const where = t.where.replace(/^in /, 'to ');
    ui.say(`Pushing app ${plan.name} ${where}...`);
    await t.client.postAndWait(
      `/v3/spaces/${t.spaceGuid}/actions/apply_manifest`,
      plan.manifestYaml,
      'application/x-yaml',
    );
    const app = await requireApp(t, plan.name);
    const routes = await mapPushRoutes(t.client, app, t.spaceGuid, plan.routes);
    if (routes.length > 0) ui.say(`Mapping routes: ${routes.join(', ')}`);
    ui.say('Packaging files to upload...');
    const pkg = await this.upload(t, app, plan.path);
    ui.say('Staging app and tracing logs...');
    const dropletGuid = await stagePackage(t.client, ui, app, pkg);
    if (rollout.strategy && app.state === 'STARTED') {
      // The new droplet rolls out beside the running one: the app never stops serving.
      await deploy(this.ctx, t, app, {
        strategy: rollout.strategy,
        maxInFlight: rollout.maxInFlight,
        droplet: dropletGuid,
      });
      await showApp(this.ctx, t, app.guid);
      return;
    }
    if (app.state === 'STARTED') await t.client.post(`/v3/apps/${app.guid}/actions/stop`, {});
    await t.client.patch(`/v3/apps/${app.guid}/relationships/current_droplet`, {
      data: { guid: dropletGuid },
    });
    if (start) {
      await t.client.post(`/v3/apps/${app.guid}/actions/start`, {});
      ui.say(`Waiting for app ${app.name} to start...`);
      ui.say();
      await waitForStart(t.client, app, { droplet: dropletGuid });
    }
    await showApp(this.ctx, t, app.guid);
  }

  /** Sends the files the platform does not already have; the package once READY. */
  private async upload(t: SpaceTarget, app: AppResource, dir: string): Promise<PackageResource> {
    const { ui } = this.ctx;
    const files = await listAppFiles(dir).catch((err: Error) => {
      throw new CliError(`Cannot read the app directory ${dir}: ${err.message}`);
    });
    const pooled = files.filter((f) => f.sha1);
    const matched = new Set<string>();
    if (pooled.length > 0) {
      const res = await t.client.post<{
        resources: { checksum: { value: string }; size_in_bytes: number }[];
      }>('/v3/resource_matches', {
        resources: pooled.map((f) => ({ checksum: { value: f.sha1 }, size_in_bytes: f.sizeBytes })),
      });
      for (const r of res.resources) matched.add(`${r.checksum.value}:${r.size_in_bytes}`);
    }
    const isMatched = (f: (typeof files)[number]) =>
      f.sha1 !== undefined && matched.has(`${f.sha1}:${f.sizeBytes}`);
    const toSend = files.filter((f) => !isMatched(f));
    const resources = files.filter(isMatched).map((f) => ({
      checksum: { value: f.sha1 },
      size_in_bytes: f.sizeBytes,
      path: f.path,
      mode: f.mode,
    }));
    const pkg = await t.client.post<PackageResource>('/v3/packages', {
      type: 'bits',
      relationships: { app: { data: { guid: app.guid } } },
    });
    const scratch = await mkdtemp(join(tmpdir(), 'wharf-push-'));
    try {
      const archive = join(scratch, 'app.tgz');
      if (toSend.length > 0)
        await writeArchive(
          dir,
          toSend.map((f) => f.path),
          archive,
        ).catch((err: NodeJS.ErrnoException) => {
          // tar names the file it was reading; code EOF is a file whose size changed meanwhile
          // (a log being written, say).
          const what = err.code === 'EOF' ? 'it changed size while it was being read' : err.message;
          throw new CliError(
            `Cannot package the app directory ${dir}: ${err.path ? `${err.path}: ` : ''}${what}`,
          );
        });
      ui.say(
        `Uploading files (${toSend.length} of ${files.length}${resources.length ? `; ${resources.length} already on the platform` : ''})...`,
      );
      const progress = new UploadProgress(this.ctx);
      const body = await multipartBody(
        { resources: JSON.stringify(resources) },
        toSend.length > 0 ? { field: 'bits', path: archive, filename: 'app.tgz' } : null,
        (sent, total) => progress.update(sent, total),
      );
      const uploaded = await t.client.upload<PackageResource>(
        `/v3/packages/${pkg.guid}/upload`,
        body,
      );
      progress.done(body.totalBytes);
      ui.say('Waiting for API to complete processing files...');
      if (uploaded.state !== 'READY') {
        throw new CliError(
          `The package was not accepted: ${uploaded.data.error ?? uploaded.state}`,
        );
      }
      return uploaded;
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }
}

/** One line rewritten in place on a terminal; a single final line otherwise. */
class UploadProgress {
  private last = 0;
  private readonly started = Date.now();

  constructor(private readonly ctx: CliContext) {}

  update(sent: number, total: number): void {
    if (!this.ctx.ui.isTerminal() || Date.now() - this.last < 200) return;
    this.last = Date.now();
    this.ctx.ui.write(`\r ${bytes(sent)} / ${bytes(total)} ${((sent / total) * 100).toFixed(2)}%`);
  }

  done(total: number): void {
    const seconds = ((Date.now() - this.started) / 1000).toFixed(1);
    const line = ` ${bytes(total)} / ${bytes(total)} 100.00% ${seconds}s`;
    if (this.ctx.ui.isTerminal()) this.ctx.ui.write(`\r${line}\n`);
    else this.ctx.ui.say(line);
  }
}

export async function showApp(ctx: CliContext, t: SpaceTarget, appGuid: string): Promise<void> {
  const app = await t.client.get<AppResource>(`/v3/apps/${appGuid}`);
  const [droplet, processes, routes, deployment] = await Promise.all([
    currentDroplet(t.client, appGuid),
    loadProcesses(t.client, appGuid),
    routeUrls(t.client, appGuid),
    activeDeployment(t, appGuid),
  ]);
  printAppSummary(ctx.ui, app, droplet, processes, routes);
  if (deployment) sayActiveDeployment(ctx, app.name, deployment);
}
