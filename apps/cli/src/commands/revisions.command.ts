import type { Command } from 'commander';
import type { AppFeatureResource, ListResponse, RevisionResource } from '@wharf/contracts';
import type { CliContext } from '../cli.context';
import { requireApp, spaceTarget } from '../push/space-target';

/** `wharf revisions APP`: the app's revisions, newest first, the deployed ones marked (cf's). */
export class RevisionsCommand {
  constructor(private readonly ctx: CliContext) {}

  register(program: Command): void {
    program
      .command('revisions')
      .description('List revisions of an app')
      .argument('<app>', 'App name')
      .action((name: string) => this.revisions(name));
  }

  async revisions(name: string): Promise<void> {
    const t = await spaceTarget(this.ctx);
    const { ui } = this.ctx;
    ui.say(`Getting revisions for app ${name} ${t.where}...`);
    const app = await requireApp(t, name);
    const feature = await t.client.get<AppFeatureResource>(
      `/v3/apps/${app.guid}/features/revisions`,
    );
    if (!feature.enabled) {
      ui.warn(
        `Warning: Revisions for app '${name}' are disabled. Updates to the app will not create new revisions.`,
      );
    }
    if (app.state === 'STOPPED') {
      ui.say(
        'Info: this app is in a stopped state. It is not possible to determine which revision is currently deployed.',
      );
    }
    ui.say();
    const revisions = await t.client.listAll<RevisionResource>(`/v3/apps/${app.guid}/revisions`, {
      order_by: '-created_at',
    });
    if (revisions.length === 0) {
      ui.say('No revisions found');
      return;
    }
    const deployed = await t.client.get<ListResponse<RevisionResource>>(
      `/v3/apps/${app.guid}/revisions/deployed`,
    );
    const deployedGuids = new Set(deployed.resources.map((r) => r.guid));
    if (deployedGuids.size > 1) {
      ui.say(
        'Info: this app is in the middle of a deployment. More than one revision is deployed.',
      );
      ui.say();
    }
    ui.table(
      ['revision', 'description', 'deployable', 'revision guid', 'created at'],
      revisions.map((r) => [
        `${r.version}${deployedGuids.has(r.guid) ? '(deployed)' : ''}`,
        r.description,
        String(r.deployable),
        r.guid,
        r.created_at.replace(/\.\d+Z$/, 'Z'),
      ]),
    );
  }
}
