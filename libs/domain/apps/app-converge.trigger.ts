import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JobBus, JobTransaction } from '@wharf/platform/queue';

/**
 * Asks the scheduler to bring an app's instances in line with its desired state. Each request is
 * its own job (a converge already running may have read the old state); runs are serialised per
 * app by the scheduler and a run with nothing to do is cheap.
 */
@Injectable()
export class AppConvergeTrigger {
  constructor(private readonly jobs: JobBus) {}

  /** With `tx`, committed with the change that asks for it (see JobBus.transaction). */
  async now(appGuid: string, tx?: JobTransaction): Promise<void> {
    await (tx ?? this.jobs).enqueue(
      'app.converge',
      { appGuid },
      { key: `${appGuid}@${randomUUID()}` },
    );
  }

  async after(appGuid: string, delayMs: number, reason: string): Promise<void> {
    await this.jobs.enqueue(
      'app.converge',
      { appGuid },
      { key: `${appGuid}@${reason}`, delayMs: Math.max(0, delayMs) },
    );
  }
}
