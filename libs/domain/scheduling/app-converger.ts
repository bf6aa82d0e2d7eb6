import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppsQueryService, ProcessesQueryService } from '@wharf/apps';
import { PLATFORM_VISIBILITY } from '@wharf/access';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';
import { ContainerRuntimeFactory, ContainerState } from '@wharf/platform/runtime';
import { AppLock } from './app.lock';
import { CellRef, CellsQueryService } from '@wharf/cells';
import { CellConcurrency } from './cell-concurrency';
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
  /** Per app, the pass running in this process and the one queued after it. */
  private readonly passes = new Map<
    string,
    { current: Promise<void>; queued: Promise<void> | null }
  >();

  constructor(
    private readonly lock: AppLock,
    private readonly apps: AppsQueryService,
    private readonly processes: ProcessesQueryService,
    private readonly instances: InstanceRepository,
    private readonly lifecycle: InstanceLifecycle,
    private readonly cells: CellsQueryService,
    private readonly runtimes: ContainerRuntimeFactory,
    private readonly spaceNetworks: SpaceNetworks,
    private readonly concurrency: CellConcurrency,
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
  ) {}

  /**
   * One pass for the app, run under its lock. Requests that arrive while a pass runs in this
   * process share the one pass queued after it (it reads everything afresh, so it answers them
   * all): a burst of requests for one app (each instance that turns healthy asks for one) costs
   * two passes, not one per request, and never more than one waits for the lock.
   */
  converge(appGuid: string): Promise<void> {
    const entry = this.passes.get(appGuid);
    if (entry?.queued) return entry.queued;
    const run = () => this.lock.withLock(appGuid, () => this.convergeLocked(appGuid));
    if (!entry) {
      const current: Promise<void> = run().finally(() => this.settle(appGuid, current));
      this.passes.set(appGuid, { current, queued: null });
      return current;
    }
    const queued: Promise<void> = entry.current
      .catch(() => undefined)
      .then(() => {
        entry.current = queued;
        entry.queued = null;
        return run();
      })
      .finally(() => this.settle(appGuid, queued));
    entry.queued = queued;
    return queued;
  }

  private settle(appGuid: string, pass: Promise<void>): void {
    const entry = this.passes.get(appGuid);
    if (entry && entry.current === pass && !entry.queued) this.passes.delete(appGuid);
  }

  private async convergeLocked(appGuid: string): Promise<void> {
    const app = await this.apps.findApp(PLATFORM_VISIBILITY, appGuid);
    const processes = app ? await this.processes.allOfApp(PLATFORM_VISIBILITY, appGuid) : [];
    const running = app?.state === 'STARTED' && !!app.currentDropletGuid && !!app.version;
    const rows = await this.instances.listForApp(appGuid);
    const now = Date.now();
    const cells = new Map((await this.cells.all()).map((c) => [c.guid, c]));
    const actual = await this.inspectLive(rows, cells);
    // An instance on another network than its space's (one started before the platform had a
    // network per space, on the shared apps network) is replaced like an outdated one: one at a
    // time, so the app keeps serving while its instances move.
    const network = app ? this.spaceNetworks.nameFor(app.spaceGuid) : '';
    const misplaced = (row: InstanceEntity) => {
      const state = actual.get(row.guid);
      return network !== '' && !!state && !state.networks.includes(network);
    };

    // 1. Slots nobody wants any more (stopped, scaled down, restart asked) go, all at once
    // (each leaves the router before its SIGTERM). Instances of an older version (a restart, a
    // new droplet or environment) are replaced one at a time: the next goes only once every
    // instance of the new version is RUNNING, so an app with several instances keeps serving
    // throughout, and a new version that does not come up stops the rollout with the old
    // instances still serving. Misplaced instances count as outdated.
    const keep: InstanceEntity[] = [];
    const going: InstanceEntity[] = [];
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
      (wanted ? keep : going).push(row);
    }
    await this.instances.markStoppingAll(
      going.filter((r) => r.state !== 'STOPPING').map((r) => r.guid),
      new Date(),
    );
    await Promise.all(going.map((row) => this.lifecycle.stopAndRemove(row, { marked: true })));

    // 2. Kept slots: a crashed one restarts when its backoff is over; a live one whose container
    // is gone or exited (an event missed while no worker watched) is a crash. A starting one
    // whose container was never made or never started was being launched by a worker that died
    // (under this lock nobody else launches for the app): it is launched again.
    const fill = new Map<string, { index: number; slot: InstanceEntity | null }[]>();
    const toFill = (processGuid: string, index: number, slot: InstanceEntity | null) =>
      fill.set(processGuid, [...(fill.get(processGuid) ?? []), { index, slot }]);
    for (const row of keep) {
      const process = processes.find((p) => p.guid === row.processGuid);
      if (!app || !process) continue;
      if (row.state === 'CRASHED') {
        if (row.nextRestartAt && row.nextRestartAt.getTime() <= now)
          toFill(process.guid, row.index, row);
        continue;
      }
      const state = actual.get(row.guid);
      if (row.state === 'STARTING' && (!row.containerId || state?.state === 'created')) {
        this.logger.log(
          `instance ${row.instanceGuid} of ${app.name} was left unstarted: launching it again`,
        );
        await this.removeContainer(row, cells);
        toFill(process.guid, row.index, row);
        continue;
      }
      await this.checkAlive(row, state);
    }

    // 3. Empty slots are filled: every missing instance of a process in one launch.
    if (running && app) {
      for (const process of processes) {
        for (let index = 0; index < process.instances; index++) {
          if (keep.some((r) => r.processGuid === process.guid && r.index === index)) continue;
          toFill(process.guid, index, null);
        }
      }
    }
    if (app) {
      await Promise.all(
        processes.map((process) =>
          this.lifecycle.launchAll(app, process, fill.get(process.guid) ?? []),
        ),
      );
    }

    // 4. Containers of this app that no slot owns (a crash between create and record) go.
    await this.removeStrays(appGuid);
  }

  /**
   * What the cells report about the containers of live slots: null for one that is gone; slots
   * without a container or a known cell are left out. Asked side by side, per cell as many at
   * once as its concurrency allows.
   */
  private async inspectLive(
    rows: InstanceEntity[],
    cells: Map<string, CellRef>,
  ): Promise<Map<string, ContainerState | null>> {
    const out = new Map<string, ContainerState | null>();
    await Promise.all(
      rows.map(async (row) => {
        const cell = cells.get(row.cellGuid);
        const containerId = row.containerId;
        if (!containerId || row.state === 'CRASHED' || row.state === 'STOPPING' || !cell) return;
        const state = await this.concurrency.run(cell.guid, () =>
          this.runtimes.forCell(cell).inspectContainer(containerId),
        );
        out.set(row.guid, state);
      }),
    );
    return out;
  }

  private async removeContainer(row: InstanceEntity, cells: Map<string, CellRef>): Promise<void> {
    const cell = cells.get(row.cellGuid);
    if (!row.containerId || !cell) return;
    await this.runtimes
      .forCell(cell)
      .removeContainer(row.containerId, { force: true })
      .catch(() => undefined);
  }

  /** `state` undefined: nothing known about the slot's container (see inspectLive). */
  private async checkAlive(
    row: InstanceEntity,
    state: ContainerState | null | undefined,
  ): Promise<void> {
    if (state === undefined) return;
    if (state?.state === 'running') {
      // Started by a worker that died before it recorded the address: health checks need it.
      if (!row.containerIp && state.ipAddress) {
        row.containerIp = state.ipAddress;
        await this.instances.recordContainer(row);
      }
      return;
    }
    if (state?.state === 'created') return;
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
