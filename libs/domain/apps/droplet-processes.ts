import type { EntityManager } from 'typeorm';
import { newProcessFields } from './process-defaults';
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
    await processes.save(processes.create(newProcessFields(appGuid, type)), manager);
  }
}
