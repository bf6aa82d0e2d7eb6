/** How the scheduler rolls an app's version out (see planProcess in the scheduling context). */
export interface Rollout {
  /** The ACTIVE deployment that drives it, or null (a start, restart or new environment). */
  deploymentGuid: string | null;
  /** New-version instances on their way at once while older ones still serve. */
  maxInFlight: number;
  /** At most this many new-version instances per process (1 while a canary waits), or null. */
  cap: number | null;
}

/** Without a deployment a new version replaces the old one instance by instance. */
export const DEFAULT_ROLLOUT: Rollout = { deploymentGuid: null, maxInFlight: 1, cap: null };

/** What a converge pass saw of the app's version, for the deployment that rolls it out. */
export interface RolloutFacts {
  /** Every process has its desired instances of the version RUNNING, and nothing else runs. */
  settled: boolean;
  /** RUNNING (routed) instances of the version. */
  routable: number;
  /** When the newest instance of the version turned healthy. */
  lastHealthyAt: Date | null;
  /** Why an instance of the version crashed or never became healthy, or null. */
  failure: string | null;
}
