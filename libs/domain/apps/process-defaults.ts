/** Defaults for a new process (docs/architecture.md#defaults). */
export const PROCESS_DEFAULTS = {
  memoryInMb: 1024,
  diskInMb: 1024,
  webInstances: 1,
  otherInstances: 0,
  maxHealthCheckTimeout: 180,
} as const;
