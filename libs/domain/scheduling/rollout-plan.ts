import type { ProcessEntity, Rollout, RolloutFacts } from '@wharf/apps';
import type { InstanceEntity } from './instance.entity';

/** How a crash that the platform caused (not the app) begins its details. */
export const LAUNCH_FAILURE_PREFIX = 'Failed to create or start the container';

type PlannedRow = Pick<
  InstanceEntity,
  'index' | 'appVersion' | 'state' | 'crashCount' | 'details' | 'healthySince' | 'processGuid'
>;

/** Order in which old instances are kept: those serving first, then by index. */
const servingRank = (row: PlannedRow) => (row.state === 'RUNNING' ? 0 : 1);

/**
 * Which slots of one process stay and which indexes of the app's version are launched now.
 * - Instances of `version` fill indexes 0 … `desired` - 1 (only the first `rollout.cap` while a
 *   canary waits). With no older instance left they all launch at once (a start, a scale-up).
 * - While older instances still serve, at most `rollout.maxInFlight` new ones are on their way
 *   (starting, or crashed and waiting to restart), and an older one is kept for every desired
 *   instance the new version does not serve yet: one retires each time a new one is RUNNING,
 *   that is routed. Older crashed instances and older ones beyond `desired` go at once.
 * - An instance on the wrong network (`misplaced`) has a new one in its own slot: it is replaced
 *   stop first, one at a time, once everything else is settled.
 */
export function planProcess<R extends PlannedRow>(
  desired: number,
  rows: R[],
  version: string,
  misplaced: (row: R) => boolean,
  rollout: Pick<Rollout, 'maxInFlight' | 'cap'>,
): { keep: R[]; launch: number[] } {
  const wanted = Math.min(desired, rollout.cap ?? desired);
  const current = rows.filter((r) => r.appVersion === version && r.index < wanted);
  const placed = current.filter((r) => !misplaced(r));
  const moving = current.filter((r) => misplaced(r));
  const older = rows
    .filter((r) => r.appVersion !== version && r.index < desired && r.state !== 'CRASHED')
    .sort((a, b) => servingRank(a) - servingRank(b) || a.index - b.index);
  const serving = placed.filter((r) => r.state === 'RUNNING').length;
  const keepOlder = older.slice(0, Math.max(0, desired - serving));
  const taken = new Set(current.map((r) => r.index));
  const missing = [...Array(wanted).keys()].filter((i) => !taken.has(i));
  let launch = missing;
  if (keepOlder.length > 0) {
    const inFlight = placed.filter((r) => r.state !== 'RUNNING').length;
    launch = missing.slice(0, Math.max(0, rollout.maxInFlight - inFlight));
  }
  const keepMoving = [...moving];
  const settled =
    keepOlder.length === 0 && missing.length === 0 && placed.every((r) => r.state === 'RUNNING');
  const replaced = settled ? keepMoving.shift() : undefined;
  if (replaced) launch = [replaced.index];
  return { keep: [...placed, ...keepMoving, ...keepOlder], launch };
}

/**
 * How far the app's `version` got, after a pass: `before` are the rows the pass started from
 * (a crashed instance shows why there, before its restart claims the slot again), `after` the
 * rows it left.
 */
export function rolloutFacts(
  version: string,
  processes: Pick<ProcessEntity, 'guid' | 'type' | 'instances'>[],
  before: PlannedRow[],
  after: PlannedRow[],
): RolloutFacts {
  let settled = true;
  let routable = 0;
  let lastHealthyAt: Date | null = null;
  for (const process of processes) {
    const current = after.filter((r) => r.processGuid === process.guid && r.appVersion === version);
    const running = current.filter((r) => r.state === 'RUNNING' && r.index < process.instances);
    routable += running.length;
    if (running.length < process.instances) settled = false;
    for (const row of current) {
      if (row.healthySince && (!lastHealthyAt || row.healthySince > lastHealthyAt))
        lastHealthyAt = row.healthySince;
    }
  }
  if (after.some((r) => r.appVersion !== version)) settled = false;
  // The app's own failure, not the platform's: a container the engine could not create or start
  // (a host port it still held, say) is retried by the crash restart and cancels nothing.
  const ownFailure = (r: PlannedRow) =>
    r.appVersion === version && !(r.details ?? '').startsWith(LAUNCH_FAILURE_PREFIX);
  // A crash restarts in the pass that reads it CRASHED: `before` shows it with its reason.
  const crashed = [...before, ...after].find((r) => ownFailure(r) && r.state === 'CRASHED');
  const type = crashed && processes.find((p) => p.guid === crashed.processGuid)?.type;
  const failure = crashed
    ? `Instance ${crashed.index} of process type '${type ?? 'web'}' of the new version failed: ${crashed.details ?? 'it crashed'}`
    : null;
  return { settled, routable, lastHealthyAt, failure };
}
