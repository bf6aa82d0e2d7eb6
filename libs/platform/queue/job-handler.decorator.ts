import { SetMetadata } from '@nestjs/common';
import type { JobName, JobPayloads } from '@wharf/contracts';

export const JOB_HANDLER_METADATA = 'wharf:job-handler';

/** A processor class handles exactly one job name; the worker checks coverage at boot. */
export const JobHandler = (name: JobName): ClassDecorator =>
  SetMetadata(JOB_HANDLER_METADATA, name);

export interface JobProcessor<N extends JobName> {
  /** Validates the payload (bad payload: throw UnrecoverableError), then closes the gap. */
  handle(payload: JobPayloads[N], context: { attempt: number; jobId: string }): Promise<void>;
}
