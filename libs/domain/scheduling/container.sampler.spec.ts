import { ContainerSampler } from './container.sampler';

const tick = () => new Promise((r) => setImmediate(r));

/** A measure that answers when told to, counting how often it was asked. */
function controlledMeasure() {
  const calls: ((bytes: number | null) => void)[] = [];
  return {
    calls,
    measure: () =>
      new Promise<number | null>((resolve) => {
        calls.push(resolve);
      }),
  };
}

describe('ContainerSampler', () => {
  it('answers a measure that comes within the wait, and reuses it while it is fresh', async () => {
    const sampler = new ContainerSampler<number>({ waitMs: 1000, maxAgeMs: 60_000 });
    let asked = 0;
    const measure = () => Promise.resolve(++asked * 1000);
    await expect(sampler.sample('c1', measure)).resolves.toBe(1000);
    await expect(sampler.sample('c1', measure)).resolves.toBe(1000);
    expect(asked).toBe(1);
    // Another container is measured on its own.
    await expect(sampler.sample('c2', measure)).resolves.toBe(2000);
  });

  it('does not keep the caller past the wait: unknown first, the late figure next time', async () => {
    const sampler = new ContainerSampler<number>({ waitMs: 20, maxAgeMs: 60_000 });
    const m = controlledMeasure();
    const started = Date.now();
    await expect(sampler.sample('c1', m.measure)).resolves.toBeNull();
    // Well short of any engine timeout: the caller was let go at the wait, not at the answer.
    expect(Date.now() - started).toBeLessThan(1000);
    // A second caller joins the measure under way instead of starting another, and is not kept
    // waiting again for a figure a caller already waited for in vain.
    const again = Date.now();
    await expect(sampler.sample('c1', m.measure)).resolves.toBeNull();
    expect(Date.now() - again).toBeLessThan(15);
    expect(m.calls).toHaveLength(1);
    m.calls[0]?.(4096);
    await tick();
    await expect(sampler.sample('c1', m.measure)).resolves.toBe(4096);
    expect(m.calls).toHaveLength(1);
  });

  it('measures again once the figure is older than maxAge, answering the old one meanwhile', async () => {
    const sampler = new ContainerSampler<number>({ waitMs: 20, maxAgeMs: 0 });
    const m = controlledMeasure();
    const first = sampler.sample('c1', m.measure);
    await tick();
    m.calls[0]?.(100);
    await expect(first).resolves.toBe(100);
    // Stale: a new measure starts in the background and the caller gets the previous figure at
    // once, without waiting for it.
    const started = Date.now();
    await expect(sampler.sample('c1', m.measure)).resolves.toBe(100);
    expect(Date.now() - started).toBeLessThan(20);
    expect(m.calls).toHaveLength(2);
    m.calls[1]?.(200);
    await tick();
    // The late figure was kept: the next slow measure answers it.
    await expect(sampler.sample('c1', m.measure)).resolves.toBe(200);
    expect(m.calls).toHaveLength(3);
    m.calls[2]?.(300);
  });

  it('keeps unknown (null) from an engine that cannot measure, and survives a failed measure', async () => {
    const sampler = new ContainerSampler<number>({ waitMs: 1000, maxAgeMs: 0 });
    await expect(sampler.sample('c1', () => Promise.resolve(null))).resolves.toBeNull();
    // Stale, so measured again in the background: the caller still gets the unknown figure.
    await expect(sampler.sample('c1', () => Promise.resolve(512))).resolves.toBeNull();
    await tick();
    const failing = () => Promise.reject(new Error('engine away'));
    await expect(sampler.sample('c1', failing)).resolves.toBe(512);
    await tick();
    // The failed measure kept the figure it had.
    await expect(sampler.sample('c1', failing)).resolves.toBe(512);
    await expect(sampler.sample('c2', failing)).resolves.toBeNull();
  });

  it('runs `concurrency` measures at once over all containers, the rest after them', async () => {
    const sampler = new ContainerSampler<number>({ waitMs: 10, concurrency: 2 });
    const m = controlledMeasure();
    const asked = ['c1', 'c2', 'c3', 'c4'].map((id) => sampler.sample(id, m.measure));
    await expect(Promise.all(asked)).resolves.toEqual([null, null, null, null]);
    expect(m.calls).toHaveLength(2);
    m.calls[0]?.(1);
    await tick();
    await tick();
    expect(m.calls).toHaveLength(3);
    m.calls[1]?.(2);
    m.calls[2]?.(3);
    await tick();
    await tick();
    expect(m.calls).toHaveLength(4);
    m.calls[3]?.(4);
    await tick();
    await tick();
    await expect(sampler.sample('c4', m.measure)).resolves.toBe(4);
  });

  it('forgets containers nobody asked about for forgetMs', async () => {
    const sampler = new ContainerSampler<number>({ waitMs: 1000, maxAgeMs: 60_000, forgetMs: 0 });
    await expect(sampler.sample('c1', () => Promise.resolve(1))).resolves.toBe(1);
    await new Promise((r) => setTimeout(r, 5));
    // Forgotten, so measured afresh rather than answered from the cache.
    await expect(sampler.sample('c1', () => Promise.resolve(2))).resolves.toBe(2);
  });
  it('peek never waits: undefined while the first measure runs, then the figure, old ones refreshed', async () => {
    const sampler = new ContainerSampler<number>({ waitMs: 1000, maxAgeMs: 0 });
    const m = controlledMeasure();
    expect(sampler.peek('c1', m.measure)).toBeUndefined();
    // Asked again while it runs: the same measure, still nothing to show.
    expect(sampler.peek('c1', m.measure)).toBeUndefined();
    await tick();
    expect(m.calls).toHaveLength(1);
    m.calls[0]?.(7);
    await tick();
    // Old at once (maxAgeMs 0): answered with it, measured again behind the caller.
    expect(sampler.peek('c1', m.measure)).toBe(7);
    await tick();
    expect(m.calls).toHaveLength(2);
    m.calls[1]?.(8);
    await tick();
    expect(sampler.peek('c1', m.measure)).toBe(8);
  });
});
