import { commonError, CommonErrorCode, DomainError } from '@wharf/platform/errors';

/**
 * What a caller may see and change, computed from their roles once per request and handed
 * explicitly to every tenant-data read and write. Reads outside it are 404s; writes to something
 * visible but outside the caller's roles are 403s (CF-NotAuthorized).
 */
export interface Visibility {
  /** Platform admin, or the platform's own background work: sees and changes everything. */
  all: boolean;
  /** Organizations the caller can see: a role in them or in one of their spaces. */
  orgGuids: string[];
  /** Spaces whose contents the caller can see: a space role there, or managing its organization. */
  spaceGuids: string[];
  /** Organizations the caller manages (organization_manager): their spaces and roles. */
  managedOrgGuids: string[];
  /** Spaces the caller manages (space_manager): the space's name and its roles. */
  managedSpaceGuids: string[];
  /** Spaces where the caller is a space_developer: apps, routes and services there, secrets included. */
  developerSpaceGuids: string[];
  /**
   * Organizations whose own audit events (roles, quotas, the organization itself: events outside
   * any space) the caller reads: organization_manager and organization_auditor, as in CF.
   */
  auditedOrgGuids: string[];
}

export const NO_VISIBILITY: Visibility = Object.freeze({
  all: false,
  orgGuids: [],
  spaceGuids: [],
  managedOrgGuids: [],
  managedSpaceGuids: [],
  developerSpaceGuids: [],
  auditedOrgGuids: [],
});

/** The caller's (a Principal's) visibility, computed when their token was verified. */
export function visibilityOf(principal: { visibility: Visibility }): Visibility {
  return principal.visibility;
}

/** The platform's own background work (staging, scheduling) acts on every tenant's data. */
export const PLATFORM_VISIBILITY: Visibility = Object.freeze({ ...NO_VISIBILITY, all: true });

export const notAuthorized = (): DomainError =>
  commonError(
    CommonErrorCode.NotAuthorized,
    'You are not authorized to perform the requested action',
  );

/** Space developers change apps, routes and services in their space and read their secrets. */
export const mayDevelop = (scope: Visibility, spaceGuid: string): boolean =>
  scope.all || scope.developerSpaceGuids.includes(spaceGuid);

/** For a change to something the caller can already see (so 403, not 404). */
export function requireDeveloper(scope: Visibility, spaceGuid: string): void {
  if (!mayDevelop(scope, spaceGuid)) throw notAuthorized();
}

export const mayManageOrganization = (scope: Visibility, organizationGuid: string): boolean =>
  scope.all || scope.managedOrgGuids.includes(organizationGuid);

export const mayManageSpace = (
  scope: Visibility,
  space: { guid: string; organizationGuid: string },
): boolean =>
  mayManageOrganization(scope, space.organizationGuid) ||
  scope.managedSpaceGuids.includes(space.guid);

/** The spaces whose contents (apps, routes, services, their events) the caller may see. */
export const visibleSpaceGuids = (scope: Visibility): 'all' | string[] =>
  scope.all ? 'all' : scope.spaceGuids;
