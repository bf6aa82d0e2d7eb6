export interface ContainerDiskSamplerOptions {
  /** A figure younger than this is answered without asking the engine again. */
  maxAgeMs: number;
  /** How long a caller waits for a new measure before it gets the previous one (or unknown). */
  waitMs: number;
  /** Figures of containers nobody asked about for this long are dropped. */
  forgetMs: number;
}

const DEFAULTS: ContainerDiskSamplerOptions = {
  maxAgeMs: 10_000,
  waitMs: 250,
  forgetMs: 10 * 60_000,
};

const LATE = Symbol('late');

/**
 * Disk usage of containers, measured at most once per `maxAgeMs` each. The engine walks a
 * container's writable layer to measure it (0.2 s for 20,000 files on overlay2), too slow to
 * wait for on every stats request: a measure runs in the background, one per container at a
 * time, and a caller waits for it only `waitMs`. Null means unknown: not measured yet, or the
 * engine cannot measure it.
 */
export class ContainerDiskSampler {
  private readonly options: ContainerDiskSamplerOptions;
  private readonly figures = new Map<string, { bytes: number | null; at: number }>();
  private readonly inFlight = new Map<string, Promise<number | null | typeof LATE>>();

  constructor(options: Partial<ContainerDiskSamplerOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
  }

  async sample(containerId: string, measure: () => Promise<number | null>): Promise<number | null> {
    const now = Date.now();
    for (const [id, figure] of this.figures) {
      if (now - figure.at > this.options.forgetMs) this.figures.delete(id);
    }
    const known = this.figures.get(containerId);
    if (known && now - known.at < this.options.maxAgeMs) return known.bytes;
    const pending = this.inFlight.get(containerId) ?? this.measure(containerId, measure);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<typeof LATE>((resolve) => {
      timer = setTimeout(() => resolve(LATE), this.options.waitMs);
    });
    const fresh = await Promise.race([pending, late]).finally(() => clearTimeout(timer));
    return fresh === LATE ? (known?.bytes ?? null) : fresh;
  }

  private measure(
    containerId: string,
    measure: () => Promise<number | null>,
  ): Promise<number | null | typeof LATE> {
    const pending = Promise.resolve()
      .then(measure)
      .then((bytes) => {
        this.figures.set(containerId, { bytes, at: Date.now() });
        return bytes;
      })
      // A failed measure keeps the previous figure; the next request tries again.
      .catch((): typeof LATE => LATE)
      .finally(() => this.inFlight.delete(containerId));
    this.inFlight.set(containerId, pending);
    return pending;
  }
}
