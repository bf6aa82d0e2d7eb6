import { crashCountAfterRun, restartDelayMs } from './crash-backoff';

const s = 1000;
const m = 60 * s;

describe('crash restart schedule (Diego / Cloud Foundry)', () => {
  it('follows 0, 0, 0, 30 s, 1 m, 2 m, 4 m, 8 m, 16 m, 16 m, ...', () => {
    const schedule = Array.from({ length: 12 }, (_, n) => restartDelayMs(n));
    expect(schedule).toEqual([
      0,
      0,
      0,
      30 * s,
      1 * m,
      2 * m,
      4 * m,
      8 * m,
      16 * m,
      16 * m,
      16 * m,
      16 * m,
    ]);
  });

  it('keeps waiting 16 minutes up to the 200th crash, then gives up', () => {
    for (let n = 8; n < 200; n++) expect(restartDelayMs(n)).toBe(16 * m);
    expect(restartDelayMs(200)).toBeNull();
    expect(restartDelayMs(1000)).toBeNull();
  });

  it('forgets crashes after five healthy minutes, not before', () => {
    expect(crashCountAfterRun(7, 5 * m)).toBe(0);
    expect(crashCountAfterRun(7, 5 * m - 1)).toBe(7);
  });
});
