import type { Command } from 'commander';
import type { RevisionResource } from '@wharf/contracts';
import type { CliContext } from '../cli.context';
import { CliError } from '../errors/cli.error';
import { activeDeployment, deploy, followDeployment } from '../push/deployer';
import { requireApp, spaceTarget } from '../push/space-target';
import { showApp } from './push.command';

/** cancel-deployment, continue-deployment and rollback: cf's commands around deployments. */
export class DeploymentsCommand {
  constructor(private readonly ctx: CliContext) {}

  register(program: Command): void {
    program
      .command('cancel-deployment')
      .description('Cancel the most recent deployment of an app: it goes back to what it ran')
      .argument('<app>', 'App name')
      .action((name: string) => this.cancel(name));
    program
      .command('continue-deployment')
      .description('Promote a paused canary deployment: the rest of its instances roll out')
      .argument('<app>', 'App name')
      .action((name: string) => this.continue(name));
    program
      .command('rollback')
      .description('Roll an app back to one of its revisions (a rolling deployment)')
      .argument('<app>', 'App name')
      .requiredOption('--version <n>', 'Revision number to roll back to')
      .option('-f, --force', 'Do not ask for confirmation')
      .action((name: string, o: { version: string; force?: boolean }) =>
        this.rollback(name, o.version, o.force ?? false),
      );
  }

  async cancel(name: string): Promise<void> {
    const t = await spaceTarget(this.ctx);
    const { ui } = this.ctx;
    ui.say(`Canceling deployment for app ${name} ${t.where}...`);
    const app = await requireApp(t, name);
    const deployment = await activeDeployment(t, app.guid);
    if (!deployment) throw new CliError(`No active deployment found for app ${name}.`);
    await t.client.action(`/v3/deployments/${deployment.guid}/actions/cancel`);
    ui.ok();
  }

  async continue(name: string): Promise<void> {
    const t = await spaceTarget(this.ctx);
    const { ui } = this.ctx;
    ui.say(`Continuing deployment for app ${name} ${t.where}...`);
    const app = await requireApp(t, name);
    const deployment = await activeDeployment(t, app.guid);
    if (!deployment) throw new CliError(`No active deployment found for app ${name}.`);
    await t.client.action(`/v3/deployments/${deployment.guid}/actions/continue`);
    ui.say();
    ui.say('Waiting for app to deploy...');
    ui.say();
    await followDeployment(t, app, deployment.guid);
    await showApp(this.ctx, t, app.guid);
    ui.say();
    ui.say(`TIP: Run 'wharf app ${name}' to view app status.`);
  }

  async rollback(name: string, version: string, force: boolean): Promise<void> {
    const t = await spaceTarget(this.ctx);
    const { ui } = this.ctx;
    if (!/^[1-9]\d*$/.test(version)) {
      throw new CliError(`Incorrect Usage: --version must be a revision number, not '${version}'.`);
    }
    const app = await requireApp(t, name);
    const [revision] = await t.client.listAll<RevisionResource>(`/v3/apps/${app.guid}/revisions`, {
      versions: version,
    });
    if (!revision) throw new CliError(`Revision '${version}' not found`);
    const question = `Rolling '${name}' back to revision '${version}' will create a new revision. The new revision will use the settings from revision '${version}'.\nAre you sure you want to continue?`;
    if (!(await this.ctx.confirmOrForce(question, force))) {
      ui.say(`App '${name}' has not been rolled back to revision '${version}'.`);
      return;
    }
    ui.say(`Rolling back to revision ${version} for app ${name} ${t.where}...`);
    ui.say();
    await deploy(this.ctx, t, app, {
      strategy: 'rolling',
      revision: revision.guid,
    });
    ui.ok();
  }
}
