import type { OrganizationResource, SpaceResource } from '@wharf/contracts';
import type { ApiClient } from './api.client';

/** Name lookups shared by the org/space commands (the API filters; the name is re-checked). */

export async function findOrg(
  client: ApiClient,
  name: string,
): Promise<OrganizationResource | undefined> {
  const orgs = await client.listAll<OrganizationResource>('/v3/organizations', { names: name });
  return orgs.find((o) => o.name === name);
}

export async function findSpace(
  client: ApiClient,
  orgGuid: string,
  name: string,
): Promise<SpaceResource | undefined> {
  const spaces = await client.listAll<SpaceResource>('/v3/spaces', {
    names: name,
    organization_guids: orgGuid,
  });
  return spaces.find((s) => s.name === name);
}

export function listOrgs(client: ApiClient): Promise<OrganizationResource[]> {
  return client.listAll<OrganizationResource>('/v3/organizations');
}

export function listSpaces(client: ApiClient, orgGuid: string): Promise<SpaceResource[]> {
  return client.listAll<SpaceResource>('/v3/spaces', { organization_guids: orgGuid });
}

export const byName = (a: { name: string }, b: { name: string }): number =>
  a.name.localeCompare(b.name);
