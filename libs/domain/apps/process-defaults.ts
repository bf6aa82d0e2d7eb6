import { randomUUID } from 'node:crypto';
import type { ProcessEntity } from './process.entity';

/** Defaults for a new process (docs/architecture.md#defaults). */
export const PROCESS_DEFAULTS = {
  memoryInMb: 1024,
  diskInMb: 1024,
  webInstances: 1,
  otherInstances: 0,
  maxHealthCheckTimeout: 180,
} as const;

/**
 * A new process of `type` with the defaults: web gets an instance and a port check, other types
 * wait to be scaled and are checked as processes, as in CF.
 */
export function newProcessFields(appGuid: string, type: string): Partial<ProcessEntity> {
  const web = type === 'web';
  return {
    guid: randomUUID(),
    appGuid,
    type,
    command: null,
    instances: web ? PROCESS_DEFAULTS.webInstances : PROCESS_DEFAULTS.otherInstances,
    memoryInMb: PROCESS_DEFAULTS.memoryInMb,
    diskInMb: PROCESS_DEFAULTS.diskInMb,
    healthCheckType: web ? 'port' : 'process',
    healthCheckEndpoint: null,
    healthCheckTimeout: null,
    healthCheckInvocationTimeout: null,
    healthCheckInterval: null,
  };
}
