import { ContainerDiskSampler } from './container-disk.sampler';

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

describe('ContainerDiskSampler', () => {
  it('answers a measure that comes within the wait, and reuses it while it is fresh', async () => {
    const sampler = new ContainerDiskSampler({ waitMs: 1000, maxAgeMs: 60_000 });
    let asked = 0;
    const measure = () => Promise.resolve(++asked * 1000);
    await expect(sampler.sample('c1', measure)).resolves.toBe(1000);
    await expect(sampler.sample('c1', measure)).resolves.toBe(1000);
    expect(asked).toBe(1);
    // Another container is measured on its own.
    await expect(sampler.sample('c2', measure)).resolves.toBe(2000);
  });

  it('does not keep the caller past the wait: unknown first, the late figure next time', async () => {
    const sampler = new ContainerDiskSampler({ waitMs: 20, maxAgeMs: 60_000 });
    const m = controlledMeasure();
    const started = Date.now();
    await expect(sampler.sample('c1', m.measure)).resolves.toBeNull();
    // Well short of any engine timeout: the caller was let go at the wait, not at the answer.
    expect(Date.now() - started).toBeLessThan(1000);
    // A second caller joins the measure under way instead of starting another.
    await expect(sampler.sample('c1', m.measure)).resolves.toBeNull();
    expect(m.calls).toHaveLength(1);
    m.calls[0]?.(4096);
    await tick();
    await expect(sampler.sample('c1', m.measure)).resolves.toBe(4096);
    expect(m.calls).toHaveLength(1);
  });

  it('measures again once the figure is older than maxAge, answering the old one meanwhile', async () => {
    const sampler = new ContainerDiskSampler({ waitMs: 20, maxAgeMs: 0 });
    const m = controlledMeasure();
    const first = sampler.sample('c1', m.measure);
    await tick();
    m.calls[0]?.(100);
    await expect(first).resolves.toBe(100);
    // Stale: a new measure starts; it is slow, so the caller gets the previous figure.
    await expect(sampler.sample('c1', m.measure)).resolves.toBe(100);
    expect(m.calls).toHaveLength(2);
    m.calls[1]?.(200);
    await tick();
    // The late figure was kept: the next slow measure answers it.
    await expect(sampler.sample('c1', m.measure)).resolves.toBe(200);
    expect(m.calls).toHaveLength(3);
    m.calls[2]?.(300);
  });

  it('keeps unknown (null) from an engine that cannot measure, and survives a failed measure', async () => {
    const sampler = new ContainerDiskSampler({ waitMs: 1000, maxAgeMs: 0 });
    await expect(sampler.sample('c1', () => Promise.resolve(null))).resolves.toBeNull();
    await expect(sampler.sample('c1', () => Promise.resolve(512))).resolves.toBe(512);
    await expect(
      sampler.sample('c1', () => Promise.reject(new Error('engine away'))),
    ).resolves.toBe(512);
    await expect(
      sampler.sample('c2', () => Promise.reject(new Error('engine away'))),
    ).resolves.toBeNull();
  });

  it('forgets containers nobody asked about for forgetMs', async () => {
    const sampler = new ContainerDiskSampler({ waitMs: 1000, maxAgeMs: 60_000, forgetMs: 0 });
    await expect(sampler.sample('c1', () => Promise.resolve(1))).resolves.toBe(1);
    await new Promise((r) => setTimeout(r, 5));
    // Forgotten, so measured afresh rather than answered from the cache.
    await expect(sampler.sample('c1', () => Promise.resolve(2))).resolves.toBe(2);
  });
});
