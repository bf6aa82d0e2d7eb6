import pLimit from 'p-limit';

export interface ContainerSamplerOptions {
  /** A figure younger than this is answered without asking the engine again. */
  maxAgeMs: number;
  /** How long a caller waits for a container's first figure before it is told unknown (null). */
  waitMs: number;
  /** Figures of containers nobody asked about for this long are dropped. */
  forgetMs: number;
  /** How many measures run at once, over every container (the engine's share of one request). */
  concurrency: number;
}

const DEFAULTS: ContainerSamplerOptions = {
  maxAgeMs: 10_000,
  waitMs: 250,
  forgetMs: 10 * 60_000,
  concurrency: 16,
};

const LATE = Symbol('late');

/**
 * Figures about containers that the engine is slow to give (usage needs two CPU readings; disk
 * usage walks the writable layer), answered the way CF answers stats from the metrics its cells
 * emit: from the last figure. A figure older than `maxAgeMs` is measured again in the
 * background while the caller gets the old one at once; only a container with no figure yet
 * makes its caller wait, `waitMs` at most. One measure per container at a time, `concurrency`
 * over all of them, so stats of hundreds of instances neither wait on nor flood the engine.
 * Null means unknown: not measured yet, or the engine cannot tell.
 */
export class ContainerSampler<T> {
  private readonly options: ContainerSamplerOptions;
  private readonly figures = new Map<string, { value: T | null; at: number }>();
  private readonly inFlight = new Map<string, Promise<T | null | typeof LATE>>();
  /** Containers whose first measure, still under way, a caller already waited for in vain. */
  private readonly waitedOut = new Set<string>();
  private readonly limit: pLimit.Limit;
  private sweptAt = 0;

  constructor(options: Partial<ContainerSamplerOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
    this.limit = pLimit(this.options.concurrency);
  }

  /**
   * The figure at hand, without waiting: measured again in the background when it is old, and
   * undefined while the container has none yet (its first measure is then under way).
   */
  peek(containerId: string, measure: () => Promise<T | null>): T | null | undefined {
    const now = Date.now();
    // Forgotten at most once a second: a stats answer asks about every instance of a process.
    if (now - this.sweptAt >= 1_000) {
      this.sweptAt = now;
      for (const [id, figure] of this.figures) {
        if (now - figure.at > this.options.forgetMs) this.figures.delete(id);
      }
    }
    const kept = this.figures.get(containerId);
    const known = kept && now - kept.at <= this.options.forgetMs ? kept : undefined;
    if (known && now - known.at < this.options.maxAgeMs) return known.value;
    if (!this.inFlight.has(containerId)) void this.measure(containerId, measure);
    return known?.value;
  }

  /**
   * The figure at hand, or for a container with none yet its first one, `waitMs` at most, and
   * only once: when a caller was let go without it, later callers get unknown at once until it
   * comes. A restarted API knows no figure of hundreds of running instances, and each poll of
   * their stats waited the whole `waitMs` until the engine had measured them all.
   */
  async sample(containerId: string, measure: () => Promise<T | null>): Promise<T | null> {
    const known = this.peek(containerId, measure);
    if (known !== undefined) return known;
    const pending = this.inFlight.get(containerId);
    if (!pending) return this.figures.get(containerId)?.value ?? null;
    if (this.waitedOut.has(containerId)) return null;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<typeof LATE>((resolve) => {
      timer = setTimeout(() => resolve(LATE), this.options.waitMs);
    });
    const first = await Promise.race([pending, late]).finally(() => clearTimeout(timer));
    if (first !== LATE) return first;
    if (this.inFlight.get(containerId) === pending) this.waitedOut.add(containerId);
    return null;
  }

  private measure(
    containerId: string,
    measure: () => Promise<T | null>,
  ): Promise<T | null | typeof LATE> {
    const pending = this.limit(measure)
      .then((value) => {
        this.figures.set(containerId, { value, at: Date.now() });
        return value;
      })
      // A failed measure keeps the previous figure; the next request tries again.
      .catch((): typeof LATE => LATE)
      .finally(() => {
        this.inFlight.delete(containerId);
        this.waitedOut.delete(containerId);
      });
    this.inFlight.set(containerId, pending);
    return pending;
  }
}
