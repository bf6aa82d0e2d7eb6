/**
 * Which of some droplets are still there and STAGED (a revision whose droplet is gone cannot be
 * deployed again). Staging implements it; apps cannot depend on staging (staging depends on
 * apps), so revisions ask through this port.
 */
export const APP_DROPLETS = Symbol('APP_DROPLETS');

export interface AppDroplets {
  stagedAmong(dropletGuids: string[]): Promise<Set<string>>;
}
