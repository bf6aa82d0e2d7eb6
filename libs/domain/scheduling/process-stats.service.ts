import { Injectable } from '@nestjs/common';
import type { InstanceState, ProcessInstanceStats } from '@wharf/contracts';
import { AppsQueryService, INSTANCE_FDS, ProcessesQueryService } from '@wharf/apps';
import { Visibility } from '@wharf/access';
import { ContainerRuntimeFactory, ContainerStats } from '@wharf/platform/runtime';
import { CellRef, CellsQueryService } from '@wharf/cells';
import { ContainerSampler } from './container.sampler';
import { cellHostIp } from './instance-lifecycle';
import { APP_PORT } from './instance-container';
import { InstanceRepository, InstanceStatsRow } from './instance.repository';

const MB = 1024 * 1024;

/** How long a stats request waits for an instance's first figures before it answers without. */
const USAGE_WAIT_MS = 250;

/**
 * GET /v3/processes/:guid/stats: one entry per desired index (and any still stopping); while a
 * new version rolls out beside the old one, an index has an entry for each of its instances,
 * the serving one first.
 */
@Injectable()
export class ProcessStatsService {
  /**
   * CPU and memory, at most 5 s old (CF's cells emit them every 15 s): a stats request answers
   * from the last figures and waits for the engine only for an instance it has none of yet.
   */
  private readonly usage = new ContainerSampler<ContainerStats>({
    waitMs: USAGE_WAIT_MS,
    maxAgeMs: 5_000,
  });
  /** Measured apart, less often: the engine walks the container's files to tell. */
  private readonly disks = new ContainerSampler<number>({ waitMs: USAGE_WAIT_MS });

  constructor(
    private readonly processes: ProcessesQueryService,
    private readonly apps: AppsQueryService,
    private readonly instances: InstanceRepository,
    private readonly cells: CellsQueryService,
    private readonly runtimes: ContainerRuntimeFactory,
  ) {}

  async stats(scope: Visibility, processGuid: string): Promise<ProcessInstanceStats[]> {
    const process = await this.processes.getProcess(scope, processGuid);
    const app = await this.apps.getApp(scope, process.appGuid);
    const rows = await this.instances.statsRowsForProcess(process.guid);
    // One read of the cells for the whole answer, not one per instance: hundreds of instances
    // made as many queries queue for the pool.
    const cells = new Map((await this.cells.all()).map((c) => [c.guid, c]));
    const byIndex: InstanceStatsRow[][] = [];
    for (const row of rows) (byIndex[row.index] ??= []).push(row);
    for (const at of byIndex) at?.sort((a, b) => servingFirst(a) - servingFirst(b));
    const figures = await this.figures(rows, cells);
    const count = Math.max(process.instances, byIndex.length);
    const now = Date.now();
    const time = new Date(now).toISOString();
    const memQuota = process.memoryInMb * MB;
    const diskQuota = process.diskInMb * MB;
    const hosts = new Map([...cells].map(([guid, cell]) => [guid, cellHostIp(cell)]));
    // Built in one pass with one object shape per entry: this runs for every instance of every
    // poll, and spreading a shared base into each entry cost more than reading the rows.
    const out: ProcessInstanceStats[] = [];
    for (let index = 0; index < count; index++) {
      const at = byIndex[index];
      if (!at) {
        const state: InstanceState = app.state === 'STARTED' ? 'STARTING' : 'DOWN';
        out.push({
          type: process.type,
          index,
          mem_quota: memQuota,
          disk_quota: diskQuota,
          fds_quota: INSTANCE_FDS,
          instance_guid: '',
          state,
          routable: false,
          usage: {},
          host: '',
          instance_internal_ip: null,
          instance_ports: [],
          uptime: 0,
          details: null,
        });
        continue;
      }
      for (const row of at) {
        const cell = cells.get(row.cellGuid);
        const live = isLive(row);
        const figure = row.containerId ? figures.get(row.containerId) : undefined;
        const since = row.stateSince.getTime();
        out.push({
          type: process.type,
          index,
          mem_quota: memQuota,
          disk_quota: diskQuota,
          fds_quota: INSTANCE_FDS,
          instance_guid: row.instanceGuid,
          state: row.state,
          routable: row.state === 'RUNNING',
          usage: figure?.usage
            ? {
                time,
                cpu: figure.usage.cpuPercent / 100,
                mem: figure.usage.memoryBytes,
                // Null, not 0, while it is unknown (not measured yet, or the engine's storage
                // driver cannot): a Go client's uint64 leaves null at 0 without an error.
                disk: figure.disk,
              }
            : {},
          host: hosts.get(row.cellGuid) ?? '',
          instance_internal_ip: live ? row.containerIp : null,
          instance_ports:
            live && row.hostPort ? [{ external: row.hostPort, internal: APP_PORT }] : [],
          uptime: row.state === 'RUNNING' ? Math.floor((now - since) / 1000) : 0,
          details: row.details,
          cell: cell?.name ?? row.cellGuid,
          since: row.stateSince.toISOString(),
          droplet_guid: row.dropletGuid,
        });
      }
    }
    return out;
  }

  /**
   * Usage and disk of each live instance, by container: the figures at hand, and for instances
   * with none yet their first ones, all waited for side by side (250 ms at most).
   */
  private async figures(
    rows: InstanceStatsRow[],
    cells: Map<string, CellRef>,
  ): Promise<Map<string, { usage: ContainerStats | null; disk: number | null }>> {
    const out = new Map<string, { usage: ContainerStats | null; disk: number | null }>();
    const waits: Promise<void>[] = [];
    for (const row of rows) {
      const cell = cells.get(row.cellGuid);
      const containerId = row.containerId;
      if (!isLive(row) || !cell || !containerId) continue;
      const runtime = this.runtimes.forCell(cell);
      const figure = { usage: null as ContainerStats | null, disk: null as number | null };
      out.set(containerId, figure);
      const usage = () => runtime.containerStats(containerId);
      const disk = () => runtime.containerDiskUsage(containerId);
      const u = this.usage.peek(containerId, usage);
      if (u === undefined) {
        waits.push(this.usage.sample(containerId, usage).then((v) => void (figure.usage = v)));
      } else figure.usage = u;
      const d = this.disks.peek(containerId, disk);
      if (d === undefined) {
        waits.push(this.disks.sample(containerId, disk).then((v) => void (figure.disk = v)));
      } else figure.disk = d;
    }
    await Promise.all(waits);
    return out;
  }
}

const SERVING_ORDER: Record<InstanceState, number> = {
  RUNNING: 0,
  STARTING: 1,
  CRASHED: 2,
  STOPPING: 3,
  DOWN: 4,
};
const servingFirst = (row: Pick<InstanceStatsRow, 'state'>): number => SERVING_ORDER[row.state];

const isLive = (row: Pick<InstanceStatsRow, 'state'>): boolean =>
  row.state === 'RUNNING' || row.state === 'STARTING';
