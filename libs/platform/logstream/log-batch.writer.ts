import { Logger } from '@nestjs/common';
import type { LogEntryInput, LogStore } from './log-store';

/**
 * Lines of one source of an app's log (`[STG/0]`, `[APP/PROC/WEB/1]`, ...), written in small
 * batches: a user following the logs sees them live, and a chatty process does not cost a Redis
 * round trip per line. Lines are lost, with a warning, only when Redis refuses them.
 */
export class LogBatchWriter {
  private readonly logger = new Logger('LogBatchWriter');
  private pending: LogEntryInput[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly logs: LogStore,
    private readonly appGuid: string,
    private readonly sourceType: string,
    private readonly instanceId: string,
  ) {}

  out(message: string): void {
    this.push(message, 'OUT');
  }

  err(message: string): void {
    this.push(message, 'ERR');
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.flush();
    await this.flushing;
  }

  private push(message: string, type: 'OUT' | 'ERR'): void {
    this.pending.push({ sourceType: this.sourceType, instanceId: this.instanceId, type, message });
    this.timer ??= setTimeout(() => {
      this.timer = null;
      this.flush();
    }, 100);
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    // The work being logged goes on when the log store hiccups.
    this.flushing = this.flushing.then(() =>
      this.logs
        .append(this.appGuid, batch)
        .catch((err: Error) =>
          this.logger.warn(`${batch.length} log lines of ${this.appGuid} lost: ${err.message}`),
        ),
    );
  }
}
