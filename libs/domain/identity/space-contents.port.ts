/**
 * Contexts that keep things in a space (apps, routes, service instances) register a counter here,
 * so identity can refuse to delete a space that is not empty without importing their entities.
 */
export interface SpaceContentsCounter {
  /** Plural noun for messages, e.g. "apps". */
  readonly resource: string;
  countInSpace(spaceGuid: string): Promise<number>;
}

export const SPACE_CONTENTS_COUNTERS = Symbol('SPACE_CONTENTS_COUNTERS');
