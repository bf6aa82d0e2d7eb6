import { Injectable } from '@nestjs/common';
import type { InstanceState, ProcessInstanceStats } from '@wharf/contracts';
import { AppsQueryService, INSTANCE_FDS, ProcessesQueryService } from '@wharf/apps';
import { Visibility } from '@wharf/access';
import { ContainerRuntimeFactory, ContainerStats } from '@wharf/platform/runtime';
import { CellRef, CellsQueryService } from '@wharf/cells';
import { ContainerDiskSampler } from './container-disk.sampler';
import { cellHostIp } from './instance-lifecycle';
import { APP_PORT } from './instance-container';
import { InstanceRepository } from './instance.repository';

const MB = 1024 * 1024;

/** GET /v3/processes/:guid/stats: one entry per desired index (and any still stopping). */
const USAGE_WAIT_MS = 250;

@Injectable()
export class ProcessStatsService {
  private readonly samples = new Map<string, { stats: ContainerStats; at: number }>();
  private readonly inFlight = new Map<string, Promise<ContainerStats | null>>();
  /** Measured apart, less often: the engine walks the container's files to tell. */
  private readonly disks = new ContainerDiskSampler({ waitMs: USAGE_WAIT_MS });

  constructor(
    private readonly processes: ProcessesQueryService,
    private readonly apps: AppsQueryService,
    private readonly instances: InstanceRepository,
    private readonly cells: CellsQueryService,
    private readonly runtimes: ContainerRuntimeFactory,
  ) {}

  /**
   * A container's usage without making the caller wait on the engine's collection cycle (a
   * second sample can take a second): a fresh sample if it comes within 250 ms, else the last
   * one (refreshed in the background), else none yet.
   */
  private async usage(cell: CellRef, containerId: string): Promise<ContainerStats | null> {
    const cached = this.samples.get(containerId);
    let pending = this.inFlight.get(containerId);
    if (!pending) {
      pending = Promise.resolve()
        .then(() => this.runtimes.forCell(cell).containerStats(containerId))
        .then((stats) => {
          this.samples.set(containerId, { stats, at: Date.now() });
          return stats;
        })
        .catch(() => null)
        .finally(() => this.inFlight.delete(containerId));
      this.inFlight.set(containerId, pending);
    }
    const fresh = await Promise.race([
      pending,
      new Promise<undefined>((r) => setTimeout(() => r(undefined), USAGE_WAIT_MS)),
    ]);
    for (const [id, sample] of this.samples) {
      if (Date.now() - sample.at > 10 * 60_000) this.samples.delete(id);
    }
    return fresh ?? cached?.stats ?? null;
  }

  async stats(scope: Visibility, processGuid: string): Promise<ProcessInstanceStats[]> {
    const process = await this.processes.getProcess(scope, processGuid);
    const app = await this.apps.getApp(scope, process.appGuid);
    const rows = await this.instances.listForProcess(process.guid);
    const count = Math.max(process.instances, ...rows.map((r) => r.index + 1), 0);
    const out: Promise<ProcessInstanceStats>[] = [];
    for (let index = 0; index < count; index++) {
      const row = rows.find((r) => r.index === index);
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
          const cell = await this.cells.byGuid(row.cellGuid);
          const live = row.state === 'RUNNING' || row.state === 'STARTING';
          let usage: ProcessInstanceStats['usage'] = {};
          if (live && cell && row.containerId) {
            const containerId = row.containerId;
            // Both within the same 250 ms: they wait side by side.
            const [s, disk] = await Promise.all([
              this.usage(cell, containerId),
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
