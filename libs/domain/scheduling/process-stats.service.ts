import { Injectable } from '@nestjs/common';
import type { InstanceState, ProcessInstanceStats } from '@wharf/contracts';
import { AppsQueryService, INSTANCE_FDS, ProcessesQueryService } from '@wharf/apps';
import { Visibility } from '@wharf/access';
import { ContainerRuntimeFactory, ContainerStats } from '@wharf/platform/runtime';
import { CellsQueryService } from '@wharf/cells';
import { ContainerSampler } from './container.sampler';
import { cellHostIp } from './instance-lifecycle';
import { APP_PORT } from './instance-container';
import { InstanceRepository } from './instance.repository';

const MB = 1024 * 1024;

/** How long a stats request waits for an instance's first figures before it answers without. */
const USAGE_WAIT_MS = 250;

/** GET /v3/processes/:guid/stats: one entry per desired index (and any still stopping). */
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
    const rows = await this.instances.listForProcess(process.guid);
    // One read of the cells for the whole answer, not one per instance: hundreds of instances
    // made as many queries queue for the pool.
    const cells = new Map((await this.cells.all()).map((c) => [c.guid, c]));
    const byIndex = new Map<number, (typeof rows)[number]>();
    for (const row of rows) if (!byIndex.has(row.index)) byIndex.set(row.index, row);
    const count = Math.max(process.instances, ...rows.map((r) => r.index + 1), 0);
    const out: Promise<ProcessInstanceStats>[] = [];
    for (let index = 0; index < count; index++) {
      const row = byIndex.get(index);
      const base = {
        type: process.type,
        index,
        mem_quota: process.memoryInMb * MB,
        disk_quota: process.diskInMb * MB,
        fds_quota: INSTANCE_FDS,
      };
      if (!row) {
        const state: InstanceState = app.state === 'STARTED' ? 'STARTING' : 'DOWN';
        out.push(
          Promise.resolve({
            ...base,
            instance_guid: '',
            state,
            routable: false,
            usage: {},
            host: '',
            instance_internal_ip: null,
            instance_ports: [],
            uptime: 0,
            details: null,
          }),
        );
        continue;
      }
      out.push(
        (async () => {
          const cell = cells.get(row.cellGuid) ?? null;
          const live = row.state === 'RUNNING' || row.state === 'STARTING';
          let usage: ProcessInstanceStats['usage'] = {};
          if (live && cell && row.containerId) {
            const containerId = row.containerId;
            // Both within the same 250 ms: they wait side by side.
            const [s, disk] = await Promise.all([
              this.usage.sample(containerId, () =>
                this.runtimes.forCell(cell).containerStats(containerId),
              ),
              this.disks.sample(containerId, () =>
                this.runtimes.forCell(cell).containerDiskUsage(containerId),
              ),
            ]);
            if (s) {
              usage = {
                time: new Date().toISOString(),
                cpu: s.cpuPercent / 100,
                mem: s.memoryBytes,
                // Null, not 0, while it is unknown (not measured yet, or the engine's storage
                // driver cannot): a Go client's uint64 leaves null at 0 without an error.
                disk,
              };
            }
          }
          return {
            ...base,
            instance_guid: row.instanceGuid,
            state: row.state,
            routable: row.state === 'RUNNING',
            usage,
            host: cell ? cellHostIp(cell) : '',
            instance_internal_ip: live ? row.containerIp : null,
            instance_ports:
              live && row.hostPort ? [{ external: row.hostPort, internal: APP_PORT }] : [],
            uptime:
              row.state === 'RUNNING'
                ? Math.floor((Date.now() - row.stateSince.getTime()) / 1000)
                : 0,
            details: row.details,
            cell: cell?.name ?? row.cellGuid,
            since: row.stateSince.toISOString(),
            droplet_guid: row.dropletGuid,
          };
        })(),
      );
    }
    return Promise.all(out);
  }
}
