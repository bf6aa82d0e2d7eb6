/**
 * The URLs of an app's routes (`host.domain/path`), for VCAP_APPLICATION's `application_uris`.
 * Routing implements it; apps cannot depend on routing (routing depends on apps), so the
 * environment asks through this port and sees no routes where routing is not loaded.
 */
export const APP_ROUTE_URIS = Symbol('APP_ROUTE_URIS');

export interface AppRouteUris {
  urisOf(appGuid: string): Promise<string[]>;
}
