/**
 * Diego's restart schedule for crashed instances, which Cloud Foundry users know: the first three
 * crashes restart at once, then the wait doubles from 30 s up to 16 minutes; after 200 crashes the
 * instance is left crashed. Five minutes of healthy running forgets earlier crashes.
 */
export const CRASH_BACKOFF = {
  immediateRestarts: 3,
  firstDelayMs: 30_000,
  maxDelayMs: 16 * 60_000,
  giveUpAfterCrashes: 200,
  resetAfterHealthyMs: 5 * 60_000,
} as const;

/**
 * How long to wait before restarting after a crash, given how many crashes came before this one
 * (0 for the first), or null when the platform should stop trying.
 */
export function restartDelayMs(previousCrashes: number): number | null {
  const { immediateRestarts, firstDelayMs, maxDelayMs, giveUpAfterCrashes } = CRASH_BACKOFF;
  if (previousCrashes >= giveUpAfterCrashes) return null;
  if (previousCrashes < immediateRestarts) return 0;
  const doublings = Math.min(previousCrashes - immediateRestarts, 5);
  return Math.min(firstDelayMs * 2 ** doublings, maxDelayMs);
}

/** The crash count to carry forward: healthy for long enough means starting over. */
export function crashCountAfterRun(previousCrashes: number, healthyForMs: number): number {
  return healthyForMs >= CRASH_BACKOFF.resetAfterHealthyMs ? 0 : previousCrashes;
}
