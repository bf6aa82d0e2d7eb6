import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppsQueryService, ProcessesQueryService } from '@wharf/apps';
import { PLATFORM_VISIBILITY } from '@wharf/access';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';
import { ContainerRuntimeFactory, ContainerState } from '@wharf/platform/runtime';
import { AppLock } from './app.lock';
import { CellsQueryService } from '@wharf/cells';
import { InstanceEntity } from './instance.entity';
import { InstanceRepository } from './instance.repository';
import { InstanceLifecycle } from './instance-lifecycle';
import { SpaceNetworks } from './space-networks';

/**
 * Closes the gap between an app's desired instances (started or not, instances per process,
 * version) and what runs, under the app's lock. Level-based: it reads both sides afresh and does
 * only what differs, so a repeated or late run is harmless.
 */
@Injectable()
export class AppConverger {
  private readonly logger = new Logger('Converger');

  constructor(
    private readonly lock: AppLock,
    private readonly apps: AppsQueryService,
    private readonly processes: ProcessesQueryService,
    private readonly instances: InstanceRepository,
    private readonly lifecycle: InstanceLifecycle,
    private readonly cells: CellsQueryService,
    private readonly runtimes: ContainerRuntimeFactory,
    private readonly spaceNetworks: SpaceNetworks,
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
  ) {}

  converge(appGuid: string): Promise<void> {
    return this.lock.withLock(appGuid, () => this.convergeLocked(appGuid));
  }

  private async convergeLocked(appGuid: string): Promise<void> {
    const app = await this.apps.findApp(PLATFORM_VISIBILITY, appGuid);
    const processes = app ? await this.processes.allOfApp(PLATFORM_VISIBILITY, appGuid) : [];
    const running = app?.state === 'STARTED' && !!app.currentDropletGuid && !!app.version;
    const rows = await this.instances.listForApp(appGuid);
    const now = Date.now();
    const actual = await this.inspectLive(rows);
    // An instance on another network than its space's (one started before the platform had a
    // network per space, on the shared apps network) is replaced like an outdated one: one at a
    // time, so the app keeps serving while its instances move.
    const network = app ? this.spaceNetworks.nameFor(app.spaceGuid) : '';
    const misplaced = (row: InstanceEntity) => {
      const state = actual.get(row.guid);
      return network !== '' && !!state && !state.networks.includes(network);
    };

    // 1. Slots nobody wants any more (stopped, scaled down, restart asked) go. Instances of an
    // older version (a restart, a new droplet or environment) are replaced one at a time: the
    // next goes only once every instance of the new version is RUNNING, so an app with several
    // instances keeps serving throughout, and a new version that does not come up stops the
    // rollout with the old instances still serving. Misplaced instances count as outdated.
    const keep: InstanceEntity[] = [];
    const stopping: Promise<void>[] = [];
    const slotWanted = (row: InstanceEntity) => {
      const process = processes.find((p) => p.guid === row.processGuid);
      return (
        running &&
        process !== undefined &&
        row.index < process.instances &&
        row.state !== 'STOPPING'
      );
    };
    const current = rows.filter(
      (r) => slotWanted(r) && r.appVersion === app?.version && !misplaced(r),
    );
    const outdated = rows
      .filter((r) => slotWanted(r) && (r.appVersion !== app?.version || misplaced(r)))
      .sort((a, b) => a.processType.localeCompare(b.processType) || a.index - b.index);
    const settled = current.every((r) => r.state === 'RUNNING');
    const replaceNow = settled ? outdated.slice(0, 1) : [];
    for (const row of rows) {
      const wanted = current.includes(row) || (outdated.includes(row) && !replaceNow.includes(row));
      if (wanted) keep.push(row);
      else stopping.push(this.lifecycle.stopAndRemove(row));
    }
    await Promise.all(stopping);

    // 2. Kept slots: a crashed one restarts when its backoff is over; a live one whose container
    // is gone or exited (an event missed while no worker watched) is a crash.
    for (const row of keep) {
      const process = processes.find((p) => p.guid === row.processGuid);
      if (!app || !process) continue;
      if (row.state === 'CRASHED') {
        if (row.nextRestartAt && row.nextRestartAt.getTime() <= now) {
          await this.lifecycle.launch(app, process, row.index, row);
        }
        continue;
      }
      await this.checkAlive(row, actual.get(row.guid));
    }

    // 3. Empty slots are filled.
    if (running && app) {
      for (const process of processes) {
        for (let index = 0; index < process.instances; index++) {
          if (keep.some((r) => r.processGuid === process.guid && r.index === index)) continue;
          await this.lifecycle.launch(app, process, index, null);
        }
      }
    }

    // 4. Containers of this app that no slot owns (a crash between create and record) go.
    await this.removeStrays(appGuid);
  }

  /**
   * What the cells report about the containers of live slots: null for one that is gone; slots
   * without a container or a known cell are left out.
   */
  private async inspectLive(rows: InstanceEntity[]): Promise<Map<string, ContainerState | null>> {
    const out = new Map<string, ContainerState | null>();
    for (const row of rows) {
      if (!row.containerId || row.state === 'CRASHED' || row.state === 'STOPPING') continue;
      const cell = await this.cells.byGuid(row.cellGuid);
      if (!cell) continue;
      out.set(row.guid, await this.runtimes.forCell(cell).inspectContainer(row.containerId));
    }
    return out;
  }

  /** `state` undefined: nothing known about the slot's container (see inspectLive). */
  private async checkAlive(
    row: InstanceEntity,
    state: ContainerState | null | undefined,
  ): Promise<void> {
    if (state === undefined) return;
    if (state?.state === 'running' || state?.state === 'created') return;
    const exit = state?.exitCode ?? -1;
    await this.lifecycle.recordCrash(row, {
      exitStatus: exit,
      description: state
        ? `APP/PROC/${row.processType.toUpperCase()}: Exited with status ${exit}${state.oomKilled ? ' (out of memory)' : ''}`
        : 'The container disappeared from its cell',
    });
  }

  private async removeStrays(appGuid: string): Promise<void> {
    const owned = new Set(
      (await this.instances.listForApp(appGuid)).map((r) => r.containerId).filter(Boolean),
    );
    for (const cell of await this.cells.all()) {
      const runtime = this.runtimes.forCell(cell);
      const containers = await runtime.listContainers({
        labels: {
          'wharf.installation': this.config.installation,
          'wharf.role': 'app',
          'wharf.app_guid': appGuid,
        },
        all: true,
      });
      for (const c of containers) {
        if (owned.has(c.id)) continue;
        this.logger.log(`removing stray container ${c.name} of app ${appGuid}`);
        await runtime.removeContainer(c.id, { force: true });
      }
    }
  }
}
