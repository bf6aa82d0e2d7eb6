import type {
  AppResource,
  DropletResource,
  ProcessInstanceStats,
  ProcessResource,
  ProcessStatsResponse,
} from '@wharf/contracts';
import { ApiError } from '../errors/api.error';
import type { ApiClient } from '../http/api.client';
import type { TerminalUi } from '../ui/terminal.ui';

export interface ProcessSummary {
  process: ProcessResource;
  stats: ProcessInstanceStats[];
}

/** What `app` shows (and push, start, restart, restage end with). */
export async function loadProcesses(client: ApiClient, appGuid: string): Promise<ProcessSummary[]> {
  const list = await client.listAll<ProcessResource>(`/v3/apps/${appGuid}/processes`);
  return Promise.all(
    list.map(async (p) => ({
      // The list hides commands; the single read shows the effective one.
      process: await client.get<ProcessResource>(`/v3/processes/${p.guid}`),
      stats: (await client.get<ProcessStatsResponse>(`/v3/processes/${p.guid}/stats`)).resources,
    })),
  );
}

export async function currentDroplet(
  client: ApiClient,
  appGuid: string,
): Promise<DropletResource | null> {
  try {
    return await client.get<DropletResource>(`/v3/apps/${appGuid}/droplets/current`);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

/** 35.1M, 1G: cf's compact sizes. */
export function bytes(n: number): string {
  if (n >= 1024 ** 3) return `${+(n / 1024 ** 3).toFixed(1)}G`;
  if (n >= 1024 ** 2) return `${+(n / 1024 ** 2).toFixed(1)}M`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)}K`;
  return `${n}B`;
}

/**
 * `?` where the API does not know the figure (null: not measured yet, or not measurable), never
 * a made-up 0B; `-` for an instance without usage (not running, or no sample of it yet).
 */
function diskUsed(usage: { disk?: number | null } | null): string {
  if (!usage) return '-';
  return usage.disk === null || usage.disk === undefined ? '?' : bytes(usage.disk);
}

export function runningCount(stats: ProcessInstanceStats[]): number {
  return stats.filter((s) => s.state === 'RUNNING').length;
}

/** The urls of the app's routes, as `apps` and `app` print them. */
export async function routeUrls(client: ApiClient, appGuid: string): Promise<string[]> {
  const routes = await client.listAll<{ url: string }>(`/v3/apps/${appGuid}/routes`);
  return routes.map((r) => r.url);
}

export function printAppSummary(
  ui: TerminalUi,
  app: AppResource,
  droplet: DropletResource | null,
  processes: ProcessSummary[],
  routes: string[] = [],
): void {
  ui.keyValues([
    ['name', app.name],
    ['requested state', app.state.toLowerCase()],
    ['routes', routes.join(', ')],
    ['last uploaded', droplet ? new Date(droplet.created_at).toUTCString() : ''],
    ['stack', droplet?.stack ?? ('stack' in app.lifecycle.data ? app.lifecycle.data.stack : '')],
    ['buildpacks', ''],
  ]);
  if (droplet && droplet.buildpacks.length > 0) {
    ui.table(
      ['   name', 'version', 'detect output', 'buildpack name'],
      droplet.buildpacks.map((b) => [
        `   ${b.name}`,
        b.version ?? '',
        b.detect_output ?? '',
        b.buildpack_name ?? '',
      ]),
    );
  }
  for (const { process, stats } of processes) {
    ui.say();
    ui.keyValues([
      ['type', process.type],
      ['sidecars', ''],
      ['instances', `${runningCount(stats)}/${process.instances}`],
      ['memory usage', `${process.memory_in_mb}M`],
      ['start command', process.command ?? ''],
    ]);
    if (stats.length === 0) {
      ui.say('There are no running instances of this process.');
      continue;
    }
    ui.table(
      ['', 'state', 'since', 'cpu', 'memory', 'disk', 'address', 'internal address', 'details'],
      stats.map((s) => {
        const usage = 'cpu' in s.usage ? s.usage : null;
        const port = s.instance_ports[0]?.external;
        const internalPort = s.instance_ports[0]?.internal;
        return [
          `#${s.index}`,
          s.state.toLowerCase(),
          s.since ? s.since.replace(/\.\d+Z$/, 'Z') : '',
          usage ? `${(usage.cpu * 100).toFixed(1)}%` : '0.0%',
          `${usage ? bytes(usage.mem) : '0'} of ${bytes(s.mem_quota)}`,
          `${diskUsed(usage)} of ${bytes(s.disk_quota)}`,
          s.host && port ? `${s.host}:${port}` : '',
          s.instance_internal_ip && internalPort ? `${s.instance_internal_ip}:${internalPort}` : '',
          s.details ?? '',
        ];
      }),
    );
  }
}
