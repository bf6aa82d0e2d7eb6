import { Inject, Injectable, Logger } from '@nestjs/common';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';
import { ContainerRuntime, ContainerRuntimeFactory } from '@wharf/platform/runtime';
import { AppLock } from './app.lock';
import { CellRef, CellsQueryService } from '@wharf/cells';
import { InstanceRepository } from './instance.repository';
import { InstanceLifecycle } from './instance-lifecycle';
import { TaskRunner } from './task-runner';

/**
 * Crash detection from the engines' own events: a `die` of an instance the platform did not stop
 * is a crash the moment it happens, not at the next sweep; a task's `die` ends the task. When a stream breaks, it reconnects
 * and asks for a sweep (events may have been missed meanwhile).
 */
@Injectable()
export class CellEventWatcher {
  private readonly logger = new Logger('CellEvents');
  private abort: AbortController | null = null;
  private readonly watched = new Set<string>();
  private onGap: () => void = () => undefined;

  constructor(
    private readonly cells: CellsQueryService,
    private readonly runtimes: ContainerRuntimeFactory,
    private readonly instances: InstanceRepository,
    private readonly lifecycle: InstanceLifecycle,
    private readonly lock: AppLock,
    private readonly taskRunner: TaskRunner,
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
  ) {}

  async start(onGap: () => void): Promise<void> {
    this.onGap = onGap;
    this.abort ??= new AbortController();
    await this.refresh();
  }

  /** Watches cells registered since the last call too. */
  async refresh(): Promise<void> {
    const abort = this.abort;
    if (!abort) return;
    for (const cell of await this.cells.all()) {
      if (this.watched.has(cell.dockerEndpoint)) continue;
      this.watched.add(cell.dockerEndpoint);
      void this.watch(cell, abort.signal, () => this.onGap());
    }
  }

  stop(): void {
    this.abort?.abort();
    this.abort = null;
    this.watched.clear();
  }

  private async watch(cell: CellRef, signal: AbortSignal, onGap: () => void): Promise<void> {
    const endpoint = cell.dockerEndpoint;
    let runtime: ContainerRuntime;
    try {
      runtime = this.runtimes.forCell(cell);
    } catch (err) {
      // A cell the endpoint policy refuses (plain TCP to a remote host): nothing to watch.
      this.logger.error(`cell ${cell.name} is not watched: ${(err as Error).message}`);
      return;
    }
    while (!signal.aborted) {
      try {
        const events = runtime.events(
          { labels: { 'wharf.installation': this.config.installation, 'wharf.managed': 'true' } },
          signal,
        );
        for await (const event of events) {
          if (event.action !== 'die') continue;
          const role = event.labels['wharf.role'];
          const taskGuid = event.labels['wharf.task_guid'];
          if (role === 'task' && taskGuid) {
            void this.taskRunner
              .exited(taskGuid, event.id)
              .catch((e: Error) => this.logger.warn(`exit of task ${taskGuid}: ${e.message}`));
            continue;
          }
          if (role !== 'app') continue;
          const instanceGuid = event.labels['wharf.instance_guid'];
          // Not awaited: a crash waits for its app's lock, and the events of other apps must
          // not wait behind it.
          if (instanceGuid) {
            void this.onDie(instanceGuid, event.id, event.exitCode ?? -1, runtime).catch(
              (e: Error) => this.logger.warn(`crash of ${instanceGuid} not recorded: ${e.message}`),
            );
          }
        }
      } catch (err) {
        if (signal.aborted) return;
        this.logger.warn(`event stream of ${endpoint} broke: ${(err as Error).message}`);
      }
      if (signal.aborted) return;
      await new Promise((r) => setTimeout(r, 2000));
      onGap();
    }
  }

  private async onDie(
    instanceGuid: string,
    containerId: string,
    exitCode: number,
    runtime: ContainerRuntime,
  ): Promise<void> {
    const seen = await this.instances.findByInstanceGuid(instanceGuid);
    if (!seen || (seen.state !== 'STARTING' && seen.state !== 'RUNNING')) return;
    const state = await runtime.inspectContainer(containerId);
    await this.lock.withLock(seen.appGuid, async () => {
      const row = await this.instances.findByInstanceGuid(instanceGuid);
      // Stopped by the platform (STOPPING) or already handled: not a crash.
      if (!row || (row.state !== 'STARTING' && row.state !== 'RUNNING')) return;
      if (row.containerId !== containerId) return;
      const type = row.processType.toUpperCase();
      await this.lifecycle.recordCrash(row, {
        exitStatus: exitCode,
        description: state?.oomKilled
          ? `APP/PROC/${type}: Exited with status ${exitCode} (out of memory)`
          : `APP/PROC/${type}: Exited with status ${exitCode}`,
      });
    });
  }
}
