import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  AppConvergeTrigger,
  AppsQueryService,
  DEFAULT_ROLLOUT,
  DeploymentProgressAction,
  DeploymentsQueryService,
  ProcessesQueryService,
} from '@wharf/apps';
import { PLATFORM_VISIBILITY } from '@wharf/access';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';
import { ContainerRuntimeFactory, ContainerState } from '@wharf/platform/runtime';
import { AppLock } from './app.lock';
import { CellRef, CellsQueryService } from '@wharf/cells';
import { CellConcurrency } from './cell-concurrency';
import { InstanceEntity } from './instance.entity';
import { InstanceRepository } from './instance.repository';
import { InstanceLifecycle } from './instance-lifecycle';
import { planProcess, rolloutFacts } from './rollout-plan';
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
    private readonly deployments: DeploymentsQueryService,
    private readonly progress: DeploymentProgressAction,
    private readonly trigger: AppConvergeTrigger,
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
    // As read, before a relaunch reuses a crashed slot's row (a deployment reads why it crashed).
    const before = rows.map((row) => ({ ...row }));
    const now = Date.now();
    const cells = new Map((await this.cells.all()).map((c) => [c.guid, c]));
    const actual = await this.inspectLive(rows, cells);
    // An instance on another network than its space's (one started before the platform had a
    // network per space, on the shared apps network) is replaced one at a time, so the app keeps
    // serving while its instances move.
    const network = app ? this.spaceNetworks.nameFor(app.spaceGuid) : '';
    const misplaced = (row: InstanceEntity) => {
      const state = actual.get(row.guid);
      return network !== '' && !!state && !state.networks.includes(network);
    };

    // 1. Which slots stay. Slots nobody wants any more (stopped, scaled down, restart asked) go,
    // all at once (each leaves the router before its SIGTERM). While a new version rolls out
    // (a deployment, a restart, a new droplet or environment) its instances start beside the
    // old ones, `maxInFlight` at a time, and an old instance retires only for a new one that
    // the router serves: the app keeps serving throughout, and a new version that does not come
    // up leaves the old instances serving (docs/architecture.md, Deployments).
    const rollout = app && running ? await this.deployments.rolloutOf(app) : DEFAULT_ROLLOUT;
    const keep: InstanceEntity[] = [];
    const launchable = new Map<string, number[]>();
    if (running && app) {
      for (const process of processes) {
        const plan = planProcess(
          process.instances,
          rows.filter((r) => r.processGuid === process.guid && r.state !== 'STOPPING'),
          app.version ?? '',
          misplaced,
          rollout,
        );
        keep.push(...plan.keep);
        launchable.set(process.guid, plan.launch);
      }
    }
    const going = rows.filter((r) => !keep.includes(r));
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
        if (row.appVersion !== app.version) {
          // An older version is never started again: its slot goes.
          await this.lifecycle.stopAndRemove(row);
          continue;
        }
        this.logger.log(
          `instance ${row.instanceGuid} of ${app.name} was left unstarted: launching it again`,
        );
        await this.removeContainer(row, cells);
        toFill(process.guid, row.index, row);
        continue;
      }
      await this.checkAlive(row, state);
    }

    // 3. Empty slots of the app's version are filled: every one the plan allows, in one launch.
    for (const [processGuid, indexes] of launchable) {
      for (const index of indexes) toFill(processGuid, index, null);
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

    // 5. A deployment learns how far its version got: paused for a canary, finished, or
    // canceled when an instance of the new version failed (which changes the app again).
    if (app && running && rollout.deploymentGuid) {
      const after = await this.instances.listForApp(appGuid);
      const facts = rolloutFacts(app.version ?? '', processes, before, after);
      if (await this.progress.execute({ appGuid, deploymentGuid: rollout.deploymentGuid, facts }))
        await this.trigger.now(appGuid);
    }
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
