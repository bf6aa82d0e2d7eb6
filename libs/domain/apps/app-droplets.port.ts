/**
 * What apps need to know of droplets: which are still there and STAGED (a revision whose droplet
 * is gone cannot be deployed again), and a staged one's app and start commands (a deployment
 * names one). Staging implements it; apps cannot depend on staging (staging depends on apps), so
 * they ask through this port.
 */
export const APP_DROPLETS = Symbol('APP_DROPLETS');

export interface StagedDroplet {
  guid: string;
  appGuid: string;
  /** Start command by process type, as the droplet detected them. */
  processTypes: Record<string, string>;
}

export interface AppDroplets {
  stagedAmong(dropletGuids: string[]): Promise<Set<string>>;
  /** The droplet if it exists and is STAGED; null otherwise. */
  findStaged(dropletGuid: string): Promise<StagedDroplet | null>;
}
