import type { InstanceState } from '@wharf/contracts';
import { planProcess, rolloutFacts } from './rollout-plan';

interface Row {
  index: number;
  appVersion: string;
  state: InstanceState;
  crashCount: number;
  details: string | null;
  healthySince: Date | null;
  processGuid: string;
}

const row = (version: string, index: number, state: InstanceState, extra: Partial<Row> = {}) => ({
  index,
  appVersion: version,
  state,
  crashCount: 0,
  details: null,
  healthySince: state === 'RUNNING' ? new Date(1000 + index) : null,
  processGuid: 'web',
  ...extra,
});

const never = () => false;
const rolling = (maxInFlight: number) => ({ maxInFlight, cap: null });

describe('planProcess', () => {
  it('starts every instance at once when nothing older serves', () => {
    const plan = planProcess(5, [], 'v2', never, rolling(1));
    expect(plan.launch).toEqual([0, 1, 2, 3, 4]);
    expect(plan.keep).toEqual([]);
  });

  it('keeps all old instances and starts max_in_flight new ones at the start of a rollout', () => {
    const old = [0, 1, 2].map((i) => row('v1', i, 'RUNNING'));
    const plan = planProcess(3, old, 'v2', never, rolling(2));
    expect(plan.launch).toEqual([0, 1]);
    expect(plan.keep).toEqual(old);
  });

  it('retires one old instance for each new one that is RUNNING, not for one only healthy', () => {
    const old = [0, 1, 2].map((i) => row('v1', i, 'RUNNING'));
    const fresh = [
      row('v2', 0, 'RUNNING'),
      row('v2', 1, 'STARTING', { healthySince: new Date(5) }),
    ];
    const plan = planProcess(3, [...old, ...fresh], 'v2', never, rolling(1));
    expect(plan.keep.filter((r) => r.appVersion === 'v1')).toHaveLength(2);
    // One new instance is still on its way: none more starts.
    expect(plan.launch).toEqual([]);
  });

  it('starts the next new instance once the one in flight runs', () => {
    const old = [1, 2].map((i) => row('v1', i, 'RUNNING'));
    const fresh = [row('v2', 0, 'RUNNING'), row('v2', 1, 'RUNNING')];
    const plan = planProcess(3, [...old, ...fresh], 'v2', never, rolling(1));
    expect(plan.keep.filter((r) => r.appVersion === 'v1').map((r) => r.index)).toEqual([1]);
    expect(plan.launch).toEqual([2]);
  });

  it('retires crashed and starting old instances before serving ones', () => {
    const old = [row('v1', 0, 'CRASHED'), row('v1', 1, 'STARTING'), row('v1', 2, 'RUNNING')];
    const plan = planProcess(3, [...old, row('v2', 0, 'RUNNING')], 'v2', never, rolling(1));
    const kept = plan.keep.filter((r) => r.appVersion === 'v1');
    expect(kept.map((r) => r.index)).toEqual([2, 1]);
  });

  it('leaves the old instances serving while a new one crashes', () => {
    const old = [0, 1].map((i) => row('v1', i, 'RUNNING'));
    const crashed = row('v2', 0, 'CRASHED', { crashCount: 2 });
    const plan = planProcess(2, [...old, crashed], 'v2', never, rolling(1));
    expect(plan.keep).toEqual([crashed, ...old]);
    expect(plan.launch).toEqual([]);
  });

  it('holds a canary at one new instance beside the old ones', () => {
    const old = [0, 1, 2].map((i) => row('v1', i, 'RUNNING'));
    const plan = planProcess(3, [...old, row('v2', 0, 'RUNNING')], 'v2', never, {
      maxInFlight: 3,
      cap: 1,
    });
    expect(plan.launch).toEqual([]);
    expect(plan.keep.filter((r) => r.appVersion === 'v1')).toHaveLength(2);
  });

  it('drops instances beyond a scale-down of either version', () => {
    const rows = [row('v1', 0, 'RUNNING'), row('v1', 3, 'RUNNING'), row('v2', 2, 'RUNNING')];
    const plan = planProcess(2, rows, 'v2', never, rolling(1));
    expect(plan.keep.map((r) => `${r.appVersion}/${r.index}`)).toEqual(['v1/0']);
    expect(plan.launch).toEqual([0]);
  });

  it('moves a misplaced instance stop first, one at a time, once the rest is settled', () => {
    const rows = [0, 1].map((i) => row('v2', i, 'RUNNING'));
    const misplaced = (r: Row) => r.index === 1;
    const plan = planProcess(2, rows, 'v2', misplaced, rolling(1));
    expect(plan.keep.map((r) => r.index)).toEqual([0]);
    expect(plan.launch).toEqual([1]);
  });
});

describe('rolloutFacts', () => {
  const processes = [{ guid: 'web', type: 'web', instances: 2 }];

  it('is settled only when the version runs everywhere and nothing older is left', () => {
    const done = [row('v2', 0, 'RUNNING'), row('v2', 1, 'RUNNING')];
    expect(rolloutFacts('v2', processes, done, done)).toMatchObject({
      settled: true,
      routable: 2,
      failure: null,
      lastHealthyAt: new Date(1001),
    });
    const withOld = [...done, row('v1', 0, 'RUNNING')];
    expect(rolloutFacts('v2', processes, withOld, withOld).settled).toBe(false);
  });

  it('names the crash of a new instance, seen before its restart claimed the slot again', () => {
    const before = [row('v2', 0, 'CRASHED', { details: 'APP/PROC/WEB: Exited with status 3' })];
    const after = [row('v2', 0, 'STARTING', { crashCount: 1 })];
    expect(rolloutFacts('v2', processes, before, after).failure).toBe(
      "Instance 0 of process type 'web' of the new version failed: APP/PROC/WEB: Exited with status 3",
    );
  });

  it('does not count a container the platform failed to create as the new version failing', () => {
    const before = [
      row('v2', 0, 'CRASHED', {
        details: 'Failed to create or start the container: port is already allocated',
      }),
    ];
    const after = [row('v2', 0, 'STARTING', { crashCount: 1 })];
    expect(rolloutFacts('v2', processes, before, after).failure).toBeNull();
  });
});
