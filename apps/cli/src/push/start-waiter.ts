import type { ProcessInstanceStats, ProcessResource, ProcessStatsResponse } from '@wharf/contracts';
import { CliError } from '../errors/cli.error';
import { currentDroplet } from './app-summary.view';
import type { ApiClient } from '../http/api.client';

export const START_TIPS = {
  logs: (app: string) => `TIP: use 'wharf logs ${app} --recent' for more information`,
  port: 'TIP: Application must be listening on the right port. Instead of hard coding the port, use the $PORT environment variable.',
};

/**
 * Waits, like cf, until every process that should run has a running instance of the droplet
 * being started (`droplet`, else the app's current one): an instance of another droplet never
 * counts, so a push does not report success on an old instance that has not stopped yet. Every
 * instance of a process crashed: "Start unsuccessful". A start timeout (the platform's health
 * check gave up, or the process's timeout passed here too): "Start app timeout" with the $PORT
 * tip.
 */
export async function waitForStart(
  client: ApiClient,
  app: { guid: string; name: string },
  options: {
    pollMs?: number;
    now?: () => number;
    /** Instances being replaced (a restart): they do not count, and must all be gone. */
    replacing?: ReadonlySet<string>;
    /** The droplet whose instances count; the app's current droplet when not given. */
    droplet?: string;
  } = {},
): Promise<void> {
  const replacing = options.replacing ?? new Set<string>();
  const droplet = options.droplet ?? (await currentDroplet(client, app.guid))?.guid;
  const counts = (s: ProcessInstanceStats) =>
    !replacing.has(s.instance_guid) &&
    (!droplet || s.droplet_guid === undefined || s.droplet_guid === droplet);
  const now = options.now ?? Date.now;
  const processes = (
    await client.listAll<ProcessResource>(`/v3/apps/${app.guid}/processes`)
  ).filter((p) => p.instances > 0);
  const started = now();
  for (;;) {
    let done = true;
    for (const p of processes) {
      const all = (await client.get<ProcessStatsResponse>(`/v3/processes/${p.guid}/stats`))
        .resources;
      const stats = all.filter(counts);
      // A restart replaces instances one at a time: done when none of the old ones is left.
      const replaced = all.every((s) => !replacing.has(s.instance_guid));
      if (replaced && stats.some((s) => s.state === 'RUNNING')) continue;
      done = false;
      const timeoutSeconds = Math.max(p.health_check.data.timeout ?? 60, 60) + 30;
      const timedOut =
        stats.some((s) => (s.details ?? '').startsWith('Start app timeout')) ||
        now() - started > timeoutSeconds * 1000;
      if (timedOut) {
        throw new CliError(`Start app timeout\n\n${START_TIPS.port}\n${START_TIPS.logs(app.name)}`);
      }
      if (stats.length > 0 && stats.every((s) => s.state === 'CRASHED')) {
        throw new CliError(`Start unsuccessful\n\n${START_TIPS.logs(app.name)}`);
      }
    }
    if (done) return;
    await new Promise((r) => setTimeout(r, options.pollMs ?? 250));
  }
}

/** The guids of an app's current instances, to wait past them after a restart. */
export async function currentInstanceGuids(
  client: ApiClient,
  app: { guid: string },
): Promise<Set<string>> {
  const out = new Set<string>();
  for (const p of await client.listAll<ProcessResource>(`/v3/apps/${app.guid}/processes`)) {
    const stats = await client.get<ProcessStatsResponse>(`/v3/processes/${p.guid}/stats`);
    for (const s of stats.resources) if (s.instance_guid) out.add(s.instance_guid);
  }
  return out;
}
