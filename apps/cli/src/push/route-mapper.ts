import { randomBytes } from 'node:crypto';
import { CliError } from '../errors/cli.error';
import type { ApiClient } from '../http/api.client';

interface Domain {
  guid: string;
  name: string;
  internal: boolean;
  relationships: { organization: { data: { guid: string } | null } };
}
interface Route {
  guid: string;
  host: string;
  path: string;
  url: string;
  destinations: { app: { guid: string } }[];
}

export interface RouteWishes {
  /** Manifest `routes` (`host.domain/path`). */
  routes?: string[];
  noRoute: boolean;
  randomRoute: boolean;
}

/**
 * cf push's routes: the manifest's `routes`, else — for an app without routes — `<app>.<shared
 * domain>` (with a random suffix for `random-route`); nothing with `no-route`.
 */
export async function mapPushRoutes(
  client: ApiClient,
  app: { guid: string; name: string },
  spaceGuid: string,
  wishes: RouteWishes,
): Promise<string[]> {
  if (wishes.noRoute) return [];
  const domains = await client.listAll<Domain>('/v3/domains', { order_by: 'created_at' });
  let wanted = wishes.routes ?? [];
  if (wanted.length === 0) {
    const existing = await client.listAll<Route>(`/v3/apps/${app.guid}/routes`);
    if (existing.length > 0) return existing.map((r) => r.url);
    const shared = domains.find((d) => !d.internal && d.relationships.organization.data === null);
    if (!shared) throw new CliError('No shared domain to give the app a route; use --no-route.');
    const host = wishes.randomRoute ? `${app.name}-${randomBytes(3).toString('hex')}` : app.name;
    wanted = [`${host.toLowerCase()}.${shared.name}`];
  }
  const mapped: string[] = [];
  for (const url of wanted) {
    const { host, domain, path } = splitRoute(url, domains);
    // Empty host or path are matched below: an empty filter value would match nothing.
    const found = await client.get<{ resources: Route[] }>('/v3/routes', {
      domain_guids: domain.guid,
      ...(host ? { hosts: host } : {}),
      ...(path ? { paths: path } : {}),
    });
    const route =
      found.resources.find((r) => r.host === host && r.path === path) ??
      (await client.post<Route>('/v3/routes', {
        host,
        path,
        relationships: {
          space: { data: { guid: spaceGuid } },
          domain: { data: { guid: domain.guid } },
        },
      }));
    if (!route.destinations.some((d) => d.app.guid === app.guid)) {
      await client.post(`/v3/routes/${route.guid}/destinations`, {
        destinations: [{ app: { guid: app.guid } }],
      });
    }
    mapped.push(route.url);
  }
  return mapped;
}

/** `host.domain/path` against the known domains: the longest domain that ends the name wins. */
export function splitRoute(url: string, domains: { guid: string; name: string }[]) {
  const slash = url.indexOf('/');
  const name = (slash < 0 ? url : url.slice(0, slash)).toLowerCase();
  const path = slash < 0 ? '' : url.slice(slash);
  const domain = [...domains]
    .sort((a, b) => b.name.length - a.name.length)
    .find((d) => name === d.name || name.endsWith(`.${d.name}`));
  if (!domain)
    throw new CliError(`The route ${url} is in no domain of this platform (see 'wharf domains').`);
  const host = name === domain.name ? '' : name.slice(0, -(domain.name.length + 1));
  return { host, domain, path };
}
