import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { PROCESS_DEFAULTS } from './process-defaults';
import { ProcessRepository } from './process.repository';

/**
 * Every process type a droplet knows (and web) gets a process when the app takes the droplet,
 * in the caller's transaction; the ones the app has already stay as they are.
 */
export async function ensureDropletProcesses(
  processes: ProcessRepository,
  appGuid: string,
  processTypes: Record<string, string>,
  manager: EntityManager,
): Promise<void> {
  for (const type of new Set(['web', ...Object.keys(processTypes)])) {
    if (await processes.findByAppAndType(appGuid, type, manager)) continue;
    const web = type === 'web';
    await processes.save(
      processes.create({
        guid: randomUUID(),
        appGuid,
        type,
        command: null,
        // Only web gets an instance by default; other types wait to be scaled, as in CF.
        instances: web ? PROCESS_DEFAULTS.webInstances : PROCESS_DEFAULTS.otherInstances,
        memoryInMb: PROCESS_DEFAULTS.memoryInMb,
        diskInMb: PROCESS_DEFAULTS.diskInMb,
        healthCheckType: web ? 'port' : 'process',
        healthCheckEndpoint: null,
        healthCheckTimeout: null,
        healthCheckInvocationTimeout: null,
        healthCheckInterval: null,
      }),
      manager,
    );
  }
}
