import type {
  AppResource,
  ListResponse,
  SpaceResource,
  DomainResource as Domain,
  RouteResource as Route,
} from '@wharf/contracts';
import { DomainSeedAction } from '@wharf/routing';
import { apiCall } from '../support/api-call';
import { startTestPlatform, TestPlatform } from '../support/test-platform';

jest.setTimeout(60_000);

interface Errors {
  errors: { code: number; title: string; detail: string }[];
}

let platform: TestPlatform;
let token: string;

const call = apiCall(
  () => platform.url,
  () => token,
);

async function orgAndSpace(name: string): Promise<{ org: string; space: string }> {
  const org = await call<{ guid: string }>('POST', '/v3/organizations', { name });
  const space = await call<SpaceResource>('POST', '/v3/spaces', {
    name: 'dev',
    relationships: { organization: { data: { guid: org.body.guid } } },
  });
  return { org: org.body.guid, space: space.body.guid };
}

const routeIn = (space: string, domain: string, host?: string, path?: string) => ({
  ...(host !== undefined ? { host } : {}),
  ...(path !== undefined ? { path } : {}),
  relationships: { space: { data: { guid: space } }, domain: { data: { guid: domain } } },
});

beforeAll(async () => {
  platform = await startTestPlatform();
  await platform.api.get(DomainSeedAction).execute();
  token = await platform.login('router', { admin: true });
});
afterAll(async () => platform?.close());

describe('domains and routes', () => {
  let a: { org: string; space: string };
  let shared: Domain;
  let appGuid: string;

  beforeAll(async () => {
    a = await orgAndSpace('org-a');
    const domains = await call<ListResponse<Domain>>('GET', '/v3/domains?order_by=name');
    shared = domains.body.resources.find((d) => d.name === 'apps.localhost') as Domain;
    const app = await call<AppResource>('POST', '/v3/apps', {
      name: 'web',
      relationships: { space: { data: { guid: a.space } } },
    });
    appGuid = app.body.guid;
  });

  it('has the shared and the internal domain after bootstrap', async () => {
    const domains = await call<ListResponse<Domain>>('GET', '/v3/domains');
    expect(domains.body.resources.map((d) => [d.name, d.internal])).toEqual(
      expect.arrayContaining([
        ['apps.localhost', false],
        ['apps.internal', true],
      ]),
    );
    expect(shared.relationships.organization.data).toBeNull();
    expect(await platform.api.get(DomainSeedAction).execute()).toEqual([]);
  });

  it('creates a route, maps and unmaps an app, lists it for the app, deletes it', async () => {
    const created = await call<Route>(
      'POST',
      '/v3/routes',
      routeIn(a.space, shared.guid, 'web', '/api'),
    );
    expect(created.status).toBe(201);
    expect(created.body).toEqual(
      expect.objectContaining({
        host: 'web',
        path: '/api',
        url: 'web.apps.localhost/api',
        destinations: [],
      }),
    );
    const mapped = await call<{ destinations: Route['destinations'] }>(
      'POST',
      `/v3/routes/${created.body.guid}/destinations`,
      { destinations: [{ app: { guid: appGuid } }] },
    );
    expect(mapped.status).toBe(200);
    expect(mapped.body.destinations).toEqual([
      expect.objectContaining({ app: { guid: appGuid, process: { type: 'web' } } }),
    ]);
    // Mapping the same app again changes nothing.
    await call('POST', `/v3/routes/${created.body.guid}/destinations`, {
      destinations: [{ app: { guid: appGuid } }],
    });
    const ofApp = await call<ListResponse<Route>>('GET', `/v3/apps/${appGuid}/routes`);
    expect(ofApp.body.resources.map((r) => r.url)).toEqual(['web.apps.localhost/api']);
    expect(ofApp.body.resources[0]?.destinations).toHaveLength(1);

    const destination = mapped.body.destinations[0]?.guid ?? '';
    const unmapped = await call(
      'DELETE',
      `/v3/routes/${created.body.guid}/destinations/${destination}`,
    );
    expect(unmapped.status).toBe(204);
    expect(
      (await call<ListResponse<Route>>('GET', `/v3/apps/${appGuid}/routes`)).body.resources,
    ).toEqual([]);

    const deleted = await call('DELETE', `/v3/routes/${created.body.guid}`);
    expect(deleted.status).toBe(202);
    expect((await call('GET', `/v3/routes/${created.body.guid}`)).status).toBe(404);
  });

  it.each([
    ['uppercase', 'Web', 'is invalid'],
    ['a space', 'my app', 'is invalid'],
    ['a label over 63 characters', 'a'.repeat(64), 'Host cannot exceed 63 characters'],
  ])('refuses a host with %s', async (_what, host, detail) => {
    const res = await call<Errors>('POST', '/v3/routes', routeIn(a.space, shared.guid, host));
    expect(res.status).toBe(422);
    expect(res.body.errors[0]).toEqual(
      expect.objectContaining({ code: 10008, title: 'CF-UnprocessableEntity' }),
    );
    expect(res.body.errors[0]?.detail).toContain(detail);
  });

  it('refuses a route that exists and a path without a leading slash', async () => {
    expect((await call('POST', '/v3/routes', routeIn(a.space, shared.guid, 'twice'))).status).toBe(
      201,
    );
    const again = await call<Errors>('POST', '/v3/routes', routeIn(a.space, shared.guid, 'twice'));
    expect(again.status).toBe(422);
    expect(again.body.errors[0]?.detail).toContain("Route already exists with host 'twice'");
    const path = await call<Errors>(
      'POST',
      '/v3/routes',
      routeIn(a.space, shared.guid, 'p', 'api'),
    );
    expect(path.status).toBe(422);
    expect(path.body.errors[0]?.detail).toBe('Path must begin with /');
  });

  it("refuses a private domain of another org, and maps only apps of the route's space", async () => {
    const b = await orgAndSpace('org-b');
    const privateB = await call<Domain>('POST', '/v3/domains', {
      name: 'b.example.com',
      relationships: { organization: { data: { guid: b.org } } },
    });
    expect(privateB.status).toBe(201);
    expect(privateB.body.relationships.organization.data?.guid).toBe(b.org);
    const foreign = await call<Errors>(
      'POST',
      '/v3/routes',
      routeIn(a.space, privateB.body.guid, 'x'),
    );
    expect(foreign.status).toBe(422);
    expect(foreign.body.errors[0]?.detail).toContain("Domain 'b.example.com' is not available");

    const routeB = await call<Route>(
      'POST',
      '/v3/routes',
      routeIn(b.space, privateB.body.guid, 'x'),
    );
    expect(routeB.status).toBe(201);
    const cross = await call<Errors>('POST', `/v3/routes/${routeB.body.guid}/destinations`, {
      destinations: [{ app: { guid: appGuid } }],
    });
    expect(cross.status).toBe(422);
    expect(cross.body.errors[0]?.detail).toContain('different spaces');

    const dup = await call<Errors>('POST', '/v3/domains', {
      name: 'b.example.com',
      relationships: { organization: { data: { guid: b.org } } },
    });
    expect(dup.status).toBe(422);
    const bad = await call<Errors>('POST', '/v3/domains', { name: 'Not A Domain' });
    expect(bad.status).toBe(422);
  });

  it('hides routes and domains from users who cannot see them', async () => {
    const admin = token;
    token = await platform.login('nobody');
    const routes = await call<ListResponse<Route>>('GET', '/v3/routes');
    expect(routes.body.resources).toEqual([]);
    const domains = await call<ListResponse<Domain>>('GET', '/v3/domains');
    expect(domains.body.resources.every((d) => d.relationships.organization.data === null)).toBe(
      true,
    );
    const sharedByUser = await call<Errors>('POST', '/v3/domains', { name: 'shared.example.com' });
    expect(sharedByUser.status).toBe(403);
    token = admin;
  });
});
