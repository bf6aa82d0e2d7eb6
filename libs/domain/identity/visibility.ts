import type { Principal } from './principal';

/**
 * What a caller may see, handed explicitly to every tenant-data read. Admins see everything; org and
 * space roles (the tenancy issue) will fill orgGuids/spaceGuids for everyone else.
 */
export interface Visibility {
  all: boolean;
  orgGuids: string[];
  spaceGuids: string[];
}

export function visibilityOf(principal: Principal): Visibility {
  return { all: principal.admin, orgGuids: [], spaceGuids: [] };
}

/** The platform's own background work (staging, scheduling) acts on every tenant's data. */
export const PLATFORM_VISIBILITY: Visibility = Object.freeze({
  all: true,
  orgGuids: [],
  spaceGuids: [],
});
