import { Injectable, Logger } from '@nestjs/common';
import { LogBatchWriter, LogStore } from '@wharf/platform/logstream';
import { ContainerRuntimeFactory } from '@wharf/platform/runtime';
import { CellRef, CellsQueryService } from '@wharf/cells';
import { TasksQueryService } from '@wharf/apps';
import { InstanceRepository } from './instance.repository';
import { TaskRunner } from './task-runner';

/**
 * Copies each instance's stdout and stderr into the app's log as `[APP/PROC/<TYPE>/<index>]`
 * lines, and each task's as `[APP/TASK/<name>/0]`. Docker keeps the container's output, and the
 * forwarder keeps (in Redis) the timestamp of the last line it copied, so a worker restart
 * neither loses nor repeats lines. A task's container is kept after its exit until its output
 * has been copied to the end (`TaskRunner.outputForwarded` then removes it).
 */
@Injectable()
export class LogForwarder {
  private readonly logger = new Logger('LogForwarder');
  private timer: NodeJS.Timeout | null = null;
  private readonly attached = new Map<string, AbortController>();

  constructor(
    private readonly instances: InstanceRepository,
    private readonly cells: CellsQueryService,
    private readonly runtimes: ContainerRuntimeFactory,
    private readonly logs: LogStore,
    private readonly tasks: TasksQueryService,
    private readonly taskRunner: TaskRunner,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.reconcile().catch(() => undefined), 1000);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const a of this.attached.values()) a.abort();
    this.attached.clear();
  }

  private async reconcile(): Promise<void> {
    const sources: {
      containerId: string;
      cellGuid: string;
      appGuid: string;
      source: string;
      index: string;
      /** A task's: told when its output was copied to the end. */
      taskGuid?: string;
    }[] = [];
    for (const row of await this.instances.listInStatesUnscoped(['STARTING', 'RUNNING'])) {
      if (!row.containerId) continue;
      sources.push({
        containerId: row.containerId,
        cellGuid: row.cellGuid,
        appGuid: row.appGuid,
        source: `APP/PROC/${row.processType.toUpperCase()}`,
        index: String(row.index),
      });
    }
    for (const task of await this.tasks.listWithContainersUnscoped()) {
      if (!task.containerId || !task.cellGuid) continue;
      sources.push({
        containerId: task.containerId,
        cellGuid: task.cellGuid,
        appGuid: task.appGuid,
        source: `APP/TASK/${task.name}`,
        index: '0',
        taskGuid: task.guid,
      });
    }
    const live = new Set<string>();
    for (const src of sources) {
      const { containerId } = src;
      live.add(containerId);
      if (this.attached.has(containerId)) continue;
      const cell = await this.cells.byGuid(src.cellGuid);
      if (!cell) continue;
      const abort = new AbortController();
      this.attached.set(containerId, abort);
      const writer = new LogBatchWriter(this.logs, src.appGuid, src.source, src.index);
      void this.follow(cell, containerId, writer, abort.signal)
        .then(async () => {
          await writer.close();
          if (src.taskGuid && !abort.signal.aborted)
            await this.taskRunner.outputForwarded(src.taskGuid, containerId);
        })
        .catch((e: Error) => this.logger.debug(`logs of ${containerId}: ${e.message}`))
        .finally(() => {
          void writer.close();
          if (this.attached.get(containerId) === abort) this.attached.delete(containerId);
        });
    }
    for (const [id, abort] of this.attached) {
      if (!live.has(id)) {
        abort.abort();
        this.attached.delete(id);
      }
    }
  }

  private async follow(
    cell: CellRef,
    containerId: string,
    writer: LogBatchWriter,
    signal: AbortSignal,
  ): Promise<void> {
    const runtime = this.runtimes.forCell(cell);
    const cursor = await this.logs.getCursor(containerId);
    let last = cursor ?? '';
    const since = cursor ? Math.floor(Date.parse(cursor) / 1000) : undefined;
    // The cursor is saved shortly after each burst of lines, so a restart resumes where it was.
    let saving: NodeJS.Timeout | null = null;
    const saveSoon = () => {
      saving ??= setTimeout(() => {
        saving = null;
        if (last) void this.logs.setCursor(containerId, last).catch(() => undefined);
      }, 300);
    };
    for await (const line of runtime.containerLogs(containerId, {
      follow: true,
      timestamps: true,
      ...(since !== undefined ? { since } : {}),
    })) {
      if (signal.aborted) break;
      const ts = line.timestamp ?? '';
      // `since` has second granularity: skip what an earlier run already copied.
      if (ts && last && ts <= last) continue;
      last = ts || last;
      if (line.stream === 'stderr') writer.err(line.line);
      else writer.out(line.line);
      saveSoon();
    }
    if (saving) clearTimeout(saving);
    if (last) await this.logs.setCursor(containerId, last);
  }
}
