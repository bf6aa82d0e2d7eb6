import type { Command } from 'commander';
import type { AuditEventResource, ListResponse } from '@wharf/contracts';
import type { CliContext } from '../cli.context';
import { requireApp, spaceTarget } from '../push/space-target';

const text = (v: unknown): string =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
    ? String(v)
    : JSON.stringify(v);

/** What cf's `events` shows in its description column, from the event's data. */
export function describeEvent(e: AuditEventResource): string {
  const d = e.data;
  if (e.type === 'app.crash') {
    return ['index', 'reason', 'cell_id', 'instance', 'exit_description', 'exit_status']
      .filter((k) => d[k] !== undefined)
      .map((k) => `${k}: ${text(d[k])}`)
      .join(', ');
  }
  const request = d.request;
  if (request && typeof request === 'object') {
    return Object.entries(request as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => `${k}: ${text(v)}`)
      .join(', ');
  }
  return Object.entries(d)
    .map(([k, v]) => `${k}: ${text(v)}`)
    .join(', ');
}

/** `wharf events APP`: the app's audit events, newest first. */
export class EventsCommand {
  constructor(private readonly ctx: CliContext) {}

  register(program: Command): void {
    program
      .command('events')
      .description('Show recent app events')
      .argument('<app>', 'App name')
      .action((name: string) => this.events(name));
  }

  async events(name: string): Promise<void> {
    const t = await spaceTarget(this.ctx);
    const { ui } = this.ctx;
    ui.say(`Getting events for app ${name} ${t.where}...`);
    ui.say();
    const app = await requireApp(t, name);
    const page = await t.client.get<ListResponse<AuditEventResource>>('/v3/audit_events', {
      target_guids: app.guid,
      order_by: '-created_at',
      per_page: '50',
    });
    if (page.resources.length === 0) {
      ui.say('No events found.');
      return;
    }
    ui.table(
      ['time', 'event', 'actor', 'description'],
      page.resources.map((e) => [
        e.created_at.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
        e.type,
        e.actor.name,
        describeEvent(e),
      ]),
    );
  }
}
