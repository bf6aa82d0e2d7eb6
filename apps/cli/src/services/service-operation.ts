import type { JobResource, LastOperation } from '@wharf/contracts';
import type { ApiClient } from '../http/api.client';
import type { TerminalUi } from '../ui/terminal.ui';
import { CliError } from '../errors/cli.error';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Follows the job of a change a service broker carries out, printing the broker's progress
 * (`last_operation.description`) as it changes, and ends with the final state: it returns when the
 * job completed and throws the broker's reason when it failed. `giveUpAfterMs` (no --wait) stops
 * following early and returns null, leaving the operation running.
 */
export async function followServiceJob(
  client: ApiClient,
  ui: TerminalUi,
  location: string,
  lastOperation: () => Promise<LastOperation | undefined>,
  options: { giveUpAfterMs?: number; intervalMs?: number } = {},
): Promise<JobResource | null> {
  const started = Date.now();
  let shown = '';
  for (;;) {
    const job = await client.get<JobResource>(new URL(location).pathname);
    if (job.state === 'COMPLETE') return job;
    if (job.state === 'FAILED')
      throw new CliError(job.errors?.[0]?.detail ?? `The operation failed (job ${job.guid}).`);
    const op = await lastOperation().catch(() => undefined);
    // `initial` (not yet sent to the broker) says nothing a user can use.
    const line =
      op && op.state !== 'initial'
        ? `${op.type} ${op.state}${op.description ? `: ${op.description}` : ''}`
        : '';
    if (line && line !== shown) {
      ui.say(`  ${line}`);
      shown = line;
    }
    if (options.giveUpAfterMs !== undefined && Date.now() - started >= options.giveUpAfterMs)
      return null;
    await sleep(options.intervalMs ?? 500);
  }
}
