import { Global, Injectable, Module } from '@nestjs/common';

/**
 * Contexts that keep things in a space (apps, routes, service instances) register a counter here,
 * so identity can refuse to delete a space that is not empty without importing their entities.
 */
export interface SpaceContentsCounter {
  /** Plural noun for messages, e.g. "apps". */
  readonly resource: string;
  countInSpace(spaceGuid: string): Promise<number>;
}

@Injectable()
export class SpaceContentsRegistry {
  private readonly counters: SpaceContentsCounter[] = [];

  register(counter: SpaceContentsCounter): void {
    if (!this.counters.includes(counter)) this.counters.push(counter);
  }

  /** "2 apps and 1 routes"-style summary of what is in a space, or null when it is empty. */
  async describe(spaceGuid: string): Promise<string | null> {
    const parts: string[] = [];
    for (const c of this.counters) {
      const n = await c.countInSpace(spaceGuid);
      if (n > 0) parts.push(`${n} ${c.resource}`);
    }
    return parts.length ? parts.join(' and ') : null;
  }
}

/** One registry per process, shared by every context (import once in each composition root). */
@Global()
@Module({ providers: [SpaceContentsRegistry], exports: [SpaceContentsRegistry] })
export class SpaceContentsModule {}
