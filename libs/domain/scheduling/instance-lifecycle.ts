import { randomInt, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { dropletImageRef } from '@wharf/contracts';
import {
  AppConvergeTrigger,
  AppEntity,
  AppEnvironmentService,
  AppLaunchTargets,
  AppsQueryService,
  ProcessEntity,
} from '@wharf/apps';
import { AuditEventRecordAction } from '@wharf/events';
import { PLATFORM_VISIBILITY } from '@wharf/access';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';
import { isUniqueViolation } from '@wharf/platform/db';
import { LogStore } from '@wharf/platform/logstream';
import {
  ContainerRuntime,
  ContainerRuntimeFactory,
  ContainerSpec,
  RuntimeError,
} from '@wharf/platform/runtime';
import { CellRef, CellsQueryService } from '@wharf/cells';
import { CellConcurrency } from './cell-concurrency';
import { crashCountAfterRun, restartDelayMs } from './crash-backoff';
import { InstanceEntity, isRoutable } from './instance.entity';
import { InstanceRepository } from './instance.repository';
import { instanceContainerSpec, STOP_GRACE_SECONDS } from './instance-container';
import { SpaceNetworks } from './space-networks';
import { LAUNCH_FAILURE_PREFIX } from './rollout-plan';

/** How long a routed instance stays up after leaving the router's configuration. */
export const ROUTER_DRAIN_MS = 1000;

/** Host ports published for app instances: above the usual ephemeral range's crowd. */
const PORT_RANGE = { min: 61001, max: 64999 } as const;

export interface CrashInfo {
  exitStatus: number;
  /** What the user reads in stats and events, e.g. "APP/PROC/WEB: Exited with status 1". */
  description: string;
}

/** The address instances of a cell are reached on: loopback for the local engine. */
export function cellHostIp(cell: CellRef): string {
  return cell.dockerEndpoint.startsWith('unix://')
    ? '127.0.0.1'
    : new URL(cell.dockerEndpoint.replace(/^tcp:/, 'http:')).hostname;
}

/**
 * Starting, stopping and crashing one instance. Callers hold the app's lock (AppLock), so these
 * never race with each other for the same app.
 */
@Injectable()
export class InstanceLifecycle {
  private readonly logger = new Logger('Instances');

  constructor(
    private readonly instances: InstanceRepository,
    private readonly cells: CellsQueryService,
    private readonly runtimes: ContainerRuntimeFactory,
    private readonly environment: AppEnvironmentService,
    private readonly logs: LogStore,
    private readonly converge: AppConvergeTrigger,
    private readonly apps: AppsQueryService,
    private readonly events: AuditEventRecordAction,
    private readonly spaceNetworks: SpaceNetworks,
    private readonly concurrency: CellConcurrency,
    private readonly targets: AppLaunchTargets,
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
  ) {}

  /**
   * Fills slots of one process at once: their rows are claimed `STARTING` in one transaction, the
   * environment and the space network made once, and the containers created and started side
   * by side, as many at once as the cell's concurrency allows (`CellConcurrency`). They run what
   * the process's revision recorded (`AppLaunchTargets`), for the app's current version. An
   * instance that cannot start is a crash of its own; the others go on.
   */
  async launchAll(
    app: AppEntity,
    process: ProcessEntity,
    slots: { index: number; slot: InstanceEntity | null }[],
  ): Promise<InstanceEntity[]> {
    if (slots.length === 0) return [];
    const target = await this.targets.resolve(app, process);
    if (!target || !app.version) throw new Error('launch needs a droplet and version');
    const cell = await this.cells.placementCell();
    const runtime = this.runtimes.forCell(cell);
    const rows = await this.claimSlots(
      app,
      app.version,
      target.dropletGuid,
      process,
      slots,
      cell,
      runtime,
    );
    const command = target.command;
    if (!command) {
      for (const row of rows) {
        await this.recordCrash(row, {
          exitStatus: -1,
          description: `No start command for process type ${process.type}: add a Procfile entry or a command`,
        });
      }
      return rows;
    }
    const env = await this.environment.describe(
      PLATFORM_VISIBILITY,
      app.guid,
      {
        guid: process.guid,
        type: process.type,
        memoryMb: process.memoryInMb,
        diskMb: process.diskInMb,
        version: app.version,
      },
      target.environmentVariables,
    );
    const network = await this.spaceNetworks.ensure(runtime, app.spaceGuid);
    const hostIp = cellHostIp(cell);
    await Promise.all(
      rows.map((row) =>
        this.concurrency.run(cell.guid, async () => {
          const cellLabel = `CELL/${row.index}`;
          await this.line(
            app.guid,
            cellLabel,
            row.index,
            `Cell ${cell.name} creating container for instance ${row.instanceGuid}`,
          );
          try {
            const spec = instanceContainerSpec({
              installation: this.config.installation,
              app: { guid: app.guid, name: app.name, spaceGuid: app.spaceGuid },
              process: {
                guid: process.guid,
                type: process.type,
                memoryInMb: process.memoryInMb,
                diskInMb: process.diskInMb,
              },
              instance: { guid: row.instanceGuid, index: row.index },
              dropletGuid: row.dropletGuid,
              image: dropletImageRef(row.dropletGuid),
              command,
              host: { ip: hostIp, port: row.hostPort ?? 0 },
              network: { name: network, dns: this.config.apps.dns },
              env,
            });
            const id = await this.createAndStart(runtime, spec, row, app.spaceGuid);
            const state = await runtime.inspectContainer(id);
            row.containerIp = state?.ipAddress ?? null;
            await this.instances.recordContainer(row);
            await this.line(
              app.guid,
              cellLabel,
              row.index,
              `Cell ${cell.name} successfully created container for instance ${row.instanceGuid}`,
            );
            await this.line(
              app.guid,
              cellLabel,
              row.index,
              'Starting health monitoring of container',
            );
          } catch (err) {
            this.logger.warn(
              `instance ${row.instanceGuid} of ${app.name} did not start: ${(err as Error).message}`,
            );
            await this.recordCrash(row, {
              exitStatus: -1,
              description: `${LAUNCH_FAILURE_PREFIX}: ${(err as Error).message}`,
            });
          }
        }),
      ),
    );
    return rows;
  }

  /**
   * Creates and starts the instance's container, recording its id before the start. The sweep
   * may remove a space network that had no container in the moment between its creation and
   * this container's (the engine then reports it missing): the network is made again and the
   * container with it, once.
   */
  private async createAndStart(
    runtime: ContainerRuntime,
    spec: ContainerSpec,
    row: InstanceEntity,
    spaceGuid: string,
  ): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      let id: string | null = null;
      try {
        id = await runtime.createContainer(spec);
        row.containerId = id;
        // Recorded before the start, so the engine's `die` of a container that fails at once
        // finds its slot.
        await this.instances.recordContainer(row);
        await runtime.startContainer(id);
        return id;
      } catch (err) {
        if (attempt > 0 || !RuntimeError.is(err, 'not_found') || !this.spaceNetworks.enabled)
          throw err;
        if (id) await runtime.removeContainer(id, { force: true }).catch(() => undefined);
        await this.spaceNetworks.ensure(runtime, spaceGuid);
      }
    }
  }

  /**
   * SIGTERM, 10 s, SIGKILL; then the container and the slot are gone. `marked`: the caller has
   * already saved the slot STOPPING (several in one write).
   */
  async stopAndRemove(row: InstanceEntity, options: { marked?: boolean } = {}): Promise<void> {
    const wasRouted = isRoutable(row);
    if (row.state !== 'STOPPING' && !options.marked) {
      row.state = 'STOPPING';
      row.stateSince = new Date();
      await this.instances.save(row);
    }
    // Out of the router first (its sync drops STOPPING instances within a second), then
    // SIGTERM: no new request reaches an instance that is about to stop.
    if (wasRouted && this.config.router.haproxyDir) {
      await new Promise((r) => setTimeout(r, ROUTER_DRAIN_MS));
    }
    const containerId = row.containerId;
    if (containerId) {
      const cell = await this.cells.byGuid(row.cellGuid);
      if (cell) {
        const runtime = this.runtimes.forCell(cell);
        await this.concurrency.run(cell.guid, async () => {
          await this.line(
            row.appGuid,
            `CELL/${row.index}`,
            row.index,
            `Cell ${cell.name} stopping instance ${row.instanceGuid}`,
          );
          await runtime.stopContainer(containerId, STOP_GRACE_SECONDS).catch(() => undefined);
          await runtime.removeContainer(containerId, { force: true });
          await this.line(
            row.appGuid,
            `CELL/${row.index}`,
            row.index,
            `Cell ${cell.name} destroying container for instance ${row.instanceGuid}`,
          );
        });
      }
    }
    await this.instances.delete(row.guid);
  }

  /**
   * A crash: the slot shows CRASHED with why, the container goes, the crash count moves on
   * (forgotten after 5 minutes of health) and the restart is scheduled on CF's backoff.
   * Returns the delay before the restart, or null when the platform gives up.
   */
  async recordCrash(row: InstanceEntity, info: CrashInfo): Promise<number | null> {
    const now = new Date();
    const healthyFor = row.healthySince ? now.getTime() - row.healthySince.getTime() : 0;
    const previous = crashCountAfterRun(row.crashCount, healthyFor);
    const delay = restartDelayMs(previous);
    const containerId = row.containerId;
    row.state = 'CRASHED';
    row.stateSince = now;
    row.crashCount = previous + 1;
    row.details = info.description;
    row.healthySince = null;
    row.containerId = null;
    row.containerIp = null;
    row.nextRestartAt = delay === null ? null : new Date(now.getTime() + delay);
    await this.instances.save(row);
    if (containerId) {
      const cell = await this.cells.byGuid(row.cellGuid);
      if (cell) {
        await this.runtimes
          .forCell(cell)
          .removeContainer(containerId, { force: true })
          .catch(() => undefined);
      }
    }
    if (info.exitStatus >= 0) {
      await this.line(
        row.appGuid,
        `CELL/${row.index}`,
        row.index,
        `Exit status ${info.exitStatus}`,
      );
    }
    await this.line(row.appGuid, 'API', 0, `Process has crashed with type: "${row.processType}"`);
    await this.line(
      row.appGuid,
      'API',
      0,
      `App instance exited with guid ${row.appGuid} payload: ${JSON.stringify({
        instance: row.instanceGuid,
        index: row.index,
        cell_id: row.cellGuid,
        reason: 'CRASHED',
        exit_description: info.description,
        crash_count: row.crashCount,
        crash_timestamp: now.getTime() * 1_000_000,
      })}`,
    );
    const app = await this.apps.findApp(PLATFORM_VISIBILITY, row.appGuid);
    if (app) {
      await this.events.execute({
        type: 'app.crash',
        actor: { guid: row.processGuid, type: 'process', name: row.processType },
        target: { guid: app.guid, type: 'app', name: app.name },
        data: {
          instance: row.instanceGuid,
          index: row.index,
          cell_id: row.cellGuid,
          reason: 'CRASHED',
          exit_description: info.description,
          exit_status: info.exitStatus,
          crash_count: row.crashCount,
          crash_timestamp: now.getTime() * 1_000_000,
        },
        spaceGuid: app.spaceGuid,
      });
    }
    if (delay !== null) {
      await this.converge.after(row.appGuid, delay, `restart-${row.guid}-${row.crashCount}`);
    }
    return delay;
  }

  /**
   * Slot rows with fresh instance guids and free host ports, saved in one transaction (a lost
   * port race with another app's launch is retried with other ports). Free means neither claimed
   * by a row nor published by a container the cell's engine runs: a container whose row is gone
   * (an app deleted, a worker killed between removal and delete) holds its port until the sweep
   * removes it, and the engine would refuse the start ("port is already allocated").
   */
  private async claimSlots(
    app: AppEntity,
    version: string,
    dropletGuid: string,
    process: ProcessEntity,
    slots: { index: number; slot: InstanceEntity | null }[],
    cell: CellRef,
    runtime: ContainerRuntime,
  ): Promise<InstanceEntity[]> {
    const published = (await runtime.listContainers({ labels: {}, all: false })).flatMap(
      (c) => c.hostPorts,
    );
    for (let attempt = 0; ; attempt++) {
      const used = await this.instances.usedPorts(cell.guid);
      for (const port of published) used.add(port);
      const rows = slots.map(({ index, slot }) => {
        let port = randomInt(PORT_RANGE.min, PORT_RANGE.max + 1);
        while (used.has(port)) port = port >= PORT_RANGE.max ? PORT_RANGE.min : port + 1;
        used.add(port);
        const row =
          slot ??
          this.instances.create({
            guid: randomUUID(),
            appGuid: app.guid,
            processGuid: process.guid,
            processType: process.type,
            index,
            crashCount: 0,
          });
        return Object.assign(row, {
          instanceGuid: randomUUID(),
          cellGuid: cell.guid,
          containerId: null,
          containerIp: null,
          dropletGuid,
          appVersion: version,
          state: 'STARTING',
          stateSince: new Date(),
          hostPort: port,
          healthySince: null,
          nextRestartAt: null,
          details: null,
        });
      });
      try {
        return await this.instances.saveAll(rows);
      } catch (err) {
        if (!isUniqueViolation(err) || attempt >= 5) throw err;
      }
    }
  }

  async line(appGuid: string, source: string, index: number, message: string): Promise<void> {
    await this.logs
      .append(appGuid, [
        {
          sourceType: source.replace(/\/\d+$/, ''),
          instanceId: String(index),
          type: 'OUT',
          message,
        },
      ])
      .catch((err: Error) => this.logger.warn(`log line lost: ${err.message}`));
  }
}
