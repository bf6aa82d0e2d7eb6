import { Inject, Injectable, Logger } from '@nestjs/common';
import { PLATFORM_VISIBILITY } from '@wharf/access';
import {
  AppEnvironmentService,
  AppsQueryService,
  TaskEntity,
  TaskExit,
  TasksQueryService,
  TaskStateRecorder,
} from '@wharf/apps';
import { CellRef, CellsQueryService } from '@wharf/cells';
import { dropletImageRef } from '@wharf/contracts';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';
import { AdvisoryLocks } from '@wharf/platform/db';
import { LogStore } from '@wharf/platform/logstream';
import {
  ContainerRuntime,
  ContainerRuntimeFactory,
  ContainerState,
  RuntimeError,
} from '@wharf/platform/runtime';
import { CellConcurrency } from './cell-concurrency';
import { STOP_GRACE_SECONDS, taskContainerSpec } from './instance-container';
import { SpaceNetworks } from './space-networks';

/** How long an ended task's container is kept when its output could not be forwarded. */
const ENDED_CONTAINER_KEEP_MS = 60_000;

/**
 * Runs tasks (`task.converge`, the engines' `die` events and the sweep): a `PENDING` task gets a
 * container of its droplet on the placement cell, `RUNNING` once started; its exit ends it
 * (`TaskStateRecorder.ended`); a `CANCELING` one is stopped. Each task's work is serialised by
 * the advisory lock `task:<guid>` across workers; every step is level-based, so a worker that
 * dies mid-launch leaves a container the next run adopts (found by its `wharf.task_guid` label),
 * never a second run of the command.
 */
@Injectable()
export class TaskRunner {
  private readonly logger = new Logger('Tasks');

  constructor(
    private readonly tasks: TasksQueryService,
    private readonly states: TaskStateRecorder,
    private readonly apps: AppsQueryService,
    private readonly environment: AppEnvironmentService,
    private readonly cells: CellsQueryService,
    private readonly runtimes: ContainerRuntimeFactory,
    private readonly spaceNetworks: SpaceNetworks,
    private readonly concurrency: CellConcurrency,
    private readonly logs: LogStore,
    private readonly locks: AdvisoryLocks,
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
  ) {}

  /** Brings the task's container in line with its state. */
  async converge(taskGuid: string): Promise<void> {
    await this.locks.withLock(`task:${taskGuid}`, async () => {
      const task = await this.tasks.findUnscoped(taskGuid);
      if (!task) return;
      if (task.state === 'PENDING') await this.launch(task);
      else if (task.state === 'CANCELING') await this.cancel(task);
      else if (task.state === 'RUNNING') await this.check(task);
    });
  }

  /** The engine reported the task's container exited. */
  async exited(taskGuid: string, containerId: string): Promise<void> {
    await this.locks.withLock(`task:${taskGuid}`, async () => {
      const task = await this.tasks.findUnscoped(taskGuid);
      if (!task || task.containerId !== containerId) return;
      if (task.state === 'RUNNING' || task.state === 'CANCELING' || task.state === 'PENDING')
        await this.check(task);
    });
  }

  /**
   * Output forwarded to its end (the container stopped): an ended task's container goes. Called
   * by the log forwarder, which keeps the container until then.
   */
  async outputForwarded(taskGuid: string, containerId: string): Promise<void> {
    await this.locks.withLock(`task:${taskGuid}`, async () => {
      const task = await this.tasks.findUnscoped(taskGuid);
      if (!task || task.containerId !== containerId) return;
      if (task.state === 'SUCCEEDED' || task.state === 'FAILED') await this.removeContainer(task);
    });
  }

  /**
   * The sweep's part: every task that is not over is converged (an exit missed while an event
   * stream was down, a container gone with its cell); containers of ended tasks that the log
   * forwarder never got to, and containers whose task is gone (its app deleted), are removed.
   */
  async sweep(): Promise<void> {
    for (const task of await this.tasks.listInStatesUnscoped(['PENDING', 'RUNNING', 'CANCELING']))
      await this.converge(task.guid).catch((e: Error) =>
        this.logger.warn(`task ${task.guid}: ${e.message}`),
      );
    const known = new Map<string, TaskEntity>();
    for (const task of await this.tasks.listWithContainersUnscoped()) {
      known.set(task.guid, task);
      const ended = task.state === 'SUCCEEDED' || task.state === 'FAILED';
      if (ended && Date.now() - task.updatedAt.getTime() > ENDED_CONTAINER_KEEP_MS)
        await this.outputForwarded(task.guid, task.containerId ?? '');
    }
    for (const cell of await this.cells.all()) {
      const runtime = this.runtimes.forCell(cell);
      const containers = await runtime.listContainers({
        labels: { 'wharf.installation': this.config.installation, 'wharf.role': 'task' },
        all: true,
      });
      for (const c of containers) {
        const guid = c.labels['wharf.task_guid'] ?? '';
        if (known.has(guid) || (await this.tasks.findUnscoped(guid))) continue;
        await runtime.stopContainer(c.id, STOP_GRACE_SECONDS).catch(() => undefined);
        await runtime.removeContainer(c.id, { force: true }).catch(() => undefined);
      }
    }
  }

  private async launch(task: TaskEntity): Promise<void> {
    const app = await this.apps.findApp(PLATFORM_VISIBILITY, task.appGuid);
    if (!app) return;
    const cell = await this.cells.placementCell();
    const runtime = this.runtimes.forCell(cell);
    // A container an earlier run made (its worker died before the task was RUNNING).
    const [earlier] = await runtime.listContainers({
      labels: {
        'wharf.installation': this.config.installation,
        'wharf.task_guid': task.guid,
      },
      all: true,
    });
    if (earlier) {
      await this.states.recordContainer(task.guid, {
        cellGuid: cell.guid,
        containerId: earlier.id,
      });
      task.containerId = earlier.id;
      task.cellGuid = cell.guid;
      if (earlier.state === 'created') await runtime.startContainer(earlier.id);
      await this.states.running(task.guid);
      task.state = 'RUNNING';
      return this.check(task);
    }
    const line = (message: string) => this.line(task.appGuid, 'CELL', message);
    let containerId: string | null = null;
    try {
      await line(`Cell ${cell.name} creating container for instance ${task.guid}`);
      const env = await this.environment.describe(PLATFORM_VISIBILITY, app.guid, {
        guid: task.guid,
        type: 'task',
        memoryMb: task.memoryInMb,
        diskMb: task.diskInMb,
        version: app.version ?? task.guid,
      });
      const spec = (network: string) =>
        taskContainerSpec({
          installation: this.config.installation,
          app: { guid: app.guid, name: app.name, spaceGuid: app.spaceGuid },
          task: { guid: task.guid, name: task.name, memoryInMb: task.memoryInMb },
          dropletGuid: task.dropletGuid,
          image: dropletImageRef(task.dropletGuid),
          command: task.command,
          network: { name: network, dns: this.config.apps.dns },
          env,
        });
      await this.concurrency.run(cell.guid, async () => {
        const network = await this.spaceNetworks.ensure(runtime, app.spaceGuid);
        try {
          containerId = await runtime.createContainer(spec(network));
        } catch (err) {
          // The sweep removed the space network in the moment after it was made: once more.
          if (!RuntimeError.is(err, 'not_found') || !this.spaceNetworks.enabled) throw err;
          containerId = await runtime.createContainer(
            spec(await this.spaceNetworks.ensure(runtime, app.spaceGuid)),
          );
        }
        // Recorded before the start, so the `die` of a command that ends at once finds it.
        await this.states.recordContainer(task.guid, { cellGuid: cell.guid, containerId });
        await runtime.startContainer(containerId);
      });
      await line(`Cell ${cell.name} successfully created container for instance ${task.guid}`);
    } catch (err) {
      const message = (err as Error).message;
      this.logger.warn(`task ${task.guid} of ${app.name} did not start: ${message}`);
      if (containerId) {
        await runtime.removeContainer(containerId, { force: true }).catch(() => undefined);
        await this.states.recordContainer(task.guid, null);
      }
      await this.end(task, { failure: `Task could not start: ${message}` });
      return;
    }
    // A cancel written meanwhile wins: its own converge (queued behind this lock) stops it.
    await this.states.running(task.guid);
  }

  /** SIGTERM, SIGKILL after 10 s; then it has ended as canceled. */
  private async cancel(task: TaskEntity): Promise<void> {
    const runtime = await this.runtimeOf(task);
    if (task.containerId && runtime) {
      await runtime.stopContainer(task.containerId, STOP_GRACE_SECONDS).catch(() => undefined);
    }
    await this.end(task, { failure: 'canceled' });
  }

  /** Reads the container: an exited one ends the task, a vanished one fails it. */
  private async check(task: TaskEntity): Promise<void> {
    if (!task.containerId) {
      if (task.state !== 'PENDING') await this.end(task, { failure: 'Task container not found' });
      return;
    }
    const runtime = await this.runtimeOf(task);
    let state: ContainerState | null = null;
    try {
      state = runtime ? await runtime.inspectContainer(task.containerId) : null;
    } catch (err) {
      // The cell does not answer: the task's state is unknown until it does.
      this.logger.warn(`task ${task.guid}: ${(err as Error).message}`);
      return;
    }
    if (!state) {
      await this.states.recordContainer(task.guid, null);
      await this.end(task, { failure: 'Task container not found' });
      return;
    }
    if (state.state !== 'exited' && state.state !== 'dead') return;
    const exitStatus = state.exitCode ?? -1;
    await this.end(task, { exitStatus, outOfMemory: state.oomKilled });
  }

  private async end(task: TaskEntity, exit: TaskExit): Promise<void> {
    if (!(await this.states.ended(task, exit))) return;
    const cell = await this.cellOf(task);
    if (cell && task.containerId)
      await this.line(task.appGuid, 'CELL', `Cell ${cell.name} stopping instance ${task.guid}`);
  }

  private async removeContainer(task: TaskEntity): Promise<void> {
    const cell = await this.cellOf(task);
    if (cell && task.containerId) {
      const runtime = this.runtimes.forCell(cell);
      // After the output it forwarded: the exit status is the task's last line, as in CF.
      const state = await runtime.inspectContainer(task.containerId).catch(() => null);
      if (state?.exitCode !== null && state?.exitCode !== undefined)
        await this.line(task.appGuid, `APP/TASK/${task.name}`, `Exit status ${state.exitCode}`);
      await runtime.removeContainer(task.containerId, { force: true }).catch(() => undefined);
      await this.line(
        task.appGuid,
        'CELL',
        `Cell ${cell.name} destroying container for instance ${task.guid}`,
      );
    }
    await this.states.recordContainer(task.guid, null);
  }

  private async runtimeOf(task: TaskEntity): Promise<ContainerRuntime | null> {
    const cell = await this.cellOf(task);
    return cell ? this.runtimes.forCell(cell) : null;
  }

  private async cellOf(task: TaskEntity): Promise<CellRef | null> {
    return task.cellGuid ? this.cells.byGuid(task.cellGuid) : null;
  }

  private async line(appGuid: string, source: string, message: string): Promise<void> {
    await this.logs
      .append(appGuid, [{ sourceType: source, instanceId: '0', type: 'OUT', message }])
      .catch((err: Error) => this.logger.warn(`log line lost: ${err.message}`));
  }
}
