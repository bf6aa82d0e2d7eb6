import type { RootResponse } from '@wharf/contracts';
import { isRecord } from './json';

/** Whether a body is CF's root document (`GET /` answers `{"links":{...}}`). */
export function isRootDocument(body: unknown): body is RootResponse {
  return isRecord(body) && isRecord(body.links);
}

/** The token endpoint's base: `links.login`, else `links.uaa`, else the API itself. */
export function uaaUrlOf(root: RootResponse, apiUrl: string): string {
  return root.links.login?.href ?? root.links.uaa?.href ?? apiUrl;
}

/** `links.cloud_controller_v3.meta.version`, when the API advertises one. */
export function apiVersionOf(root: RootResponse): string | undefined {
  return root.links.cloud_controller_v3?.meta?.version;
}
