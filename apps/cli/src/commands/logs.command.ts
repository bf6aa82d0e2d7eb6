import type { Command } from 'commander';
import type { LogCacheReadResponse } from '@wharf/contracts';
import type { CliContext } from '../cli.context';
import { formatLogLine, LogReader } from '../push/log-reader';
import { requireApp, spaceTarget } from '../push/space-target';

/** `wharf logs APP [--recent]`: Log Cache reads, as cf does them. */
export class LogsCommand {
  constructor(
    private readonly ctx: CliContext,
    private readonly pollMs = 500,
  ) {}

  register(program: Command): void {
    program
      .command('logs')
      .description('Tail or show recent logs for an app')
      .argument('<app>', 'App name')
      .option('--recent', 'Dump recent logs instead of tailing')
      .action((name: string, o: { recent?: boolean }) => this.logs(name, o.recent ?? false));
  }

  async logs(name: string, recent: boolean, signal?: AbortSignal): Promise<void> {
    const t = await spaceTarget(this.ctx);
    const { ui } = this.ctx;
    ui.say(`Retrieving logs for app ${name} ${t.where}...`);
    ui.say();
    const app = await requireApp(t, name);
    const last = await t.client.get<LogCacheReadResponse>(`/api/v1/read/${app.guid}`, {
      envelope_types: 'LOG',
      descending: 'true',
      limit: '1000',
    });
    const lines = [...last.envelopes.batch].reverse();
    if (recent) {
      for (const e of lines) ui.say(formatLogLine(e));
      return;
    }
    // Following: from now on (cf shows only new lines), until Ctrl-C.
    const newest = lines[lines.length - 1];
    const reader = new LogReader(
      t.client,
      app.guid,
      newest ? BigInt(newest.timestamp) + 1n : BigInt(Date.now()) * 1_000_000n,
    );
    const stop = signal ?? interruption();
    while (!stop.aborted) {
      for (const e of await reader.poll()) ui.say(formatLogLine(e));
      await new Promise((r) => setTimeout(r, this.pollMs));
    }
  }
}

/** Aborted by Ctrl-C, which then ends `logs` cleanly (exit 0) instead of killing it. */
function interruption(): AbortSignal {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  return controller.signal;
}
