import type { ListResponse, RouteResource } from '@wharf/contracts';
import { DomainSeedAction } from '@wharf/routing';
import { apiCall } from '../support/api-call';
import { startTestPlatform, TestPlatform } from '../support/test-platform';
import { databaseSnapshot, expectCfError, orgAndSpace } from './support/catalogue';
import { PrivateRouter } from './support/private-router';

/**
 * The bad-input catalogue, routes: hosts, paths and domain names that try to break out of
 * HAProxy's configuration or its host map (newlines, spaces, quotes, '#', '%', backslashes, and
 * '$', which HAProxy expands inside double quotes). What CF refuses is refused with its error
 * and creates nothing; every path CF accepts is rendered, passes `haproxy -c` in the real
 * HAProxy, and routes as itself, no other route's traffic taken.
 */
jest.setTimeout(90_000);

let platform: TestPlatform;
let token: string;
let space: string;
let domain: string;
const router = new PrivateRouter();
const call = apiCall(
  () => platform.url,
  () => token,
);
const routeIn = (host: string, path?: string) => ({
  host,
  ...(path !== undefined ? { path } : {}),
  relationships: { space: { data: { guid: space } }, domain: { data: { guid: domain } } },
});

beforeAll(async () => {
  platform = await startTestPlatform();
  await platform.api.get(DomainSeedAction).execute();
  token = await platform.login('route-attacker', { admin: true });
  ({ space } = await orgAndSpace(call, 'route-org'));
  const domains = await call<ListResponse<{ guid: string; name: string }>>('GET', '/v3/domains');
  domain = domains.body.resources.find((d) => d.name === 'apps.localhost')?.guid ?? '';
  await router.start();
});
afterAll(async () => {
  await router.stop();
  await platform?.close();
});

async function refusedUnchanged(path: string, body: unknown, detail: string | RegExp) {
  const before = await databaseSnapshot(platform.config.databaseUrl);
  expectCfError(await call('POST', path, body), 422, 10008, 'CF-UnprocessableEntity', detail);
  expect(await databaseSnapshot(platform.config.databaseUrl)).toEqual(before);
}

describe('hosts CF refuses (one DNS label: lowercase letters, digits, hyphens, 63 characters)', () => {
  it.each([
    ['a newline', 'a\nb'],
    ['a carriage return', 'a\rb'],
    ['a space (a map-file field separator)', 'a b'],
    ['a tab', 'a\tb'],
    ['a double quote', 'a"b'],
    ['a single quote', "a'b"],
    ['a # (a comment in HAProxy and map files)', 'a#b'],
    ['a %', 'a%b'],
    ['a backslash', 'a\\b'],
    ['a $ (expanded by HAProxy)', 'a$home'],
    ['a NUL', 'a\0b'],
    ['a dot (a second label)', 'a.b'],
    ['a slash', 'a/b'],
    ['a colon (a port)', 'a:80'],
    ['uppercase', 'ABC'],
    ['non-ASCII', 'café'],
    ['a wildcard', '*'],
    ['64 characters', 'a'.repeat(64)],
  ])('a route host with %s', async (_what, host) => {
    await refusedUnchanged(
      '/v3/routes',
      routeIn(host),
      /Host [\s\S]*(is invalid|cannot exceed 63)/,
    );
  });
});

describe('paths CF refuses (URI path characters only)', () => {
  it.each([
    ['a newline', '/a\nb'],
    ['a carriage return', '/a\rb'],
    ['a space', '/a b'],
    ['a tab', '/a\tb'],
    ['a double quote (would end the quoted HAProxy argument)', '/a"b'],
    ['a backslash', '/a\\b'],
    ['a # (a fragment; a comment in HAProxy)', '/a#b'],
    ['a bare %', '/a%'],
    ['a % not followed by two hex digits', '/a%zz'],
    ['a NUL', '/a\0b'],
    ['braces (HAProxy ${NAME})', '/a${b}'],
    ['angle brackets', '/a<b>'],
    ['a pipe', '/a|b'],
    ['a caret', '/a^b'],
    ['a backtick', '/a`b'],
    ['non-ASCII', '/café'],
    ['an empty segment', '/a//b'],
    ['129 characters', `/${'a'.repeat(128)}`],
  ])('a route path with %s', async (_what, path) => {
    await refusedUnchanged('/v3/routes', routeIn('refused', path), 'is invalid');
  });

  it.each([
    ['a ?', '/a?b', 'Path cannot contain ?'],
    ['no leading slash', 'a', 'Path must begin with /'],
    ['only a slash', '/', "Path cannot be exactly '/'"],
  ])('a route path with %s', async (_what, path, detail) => {
    await refusedUnchanged('/v3/routes', routeIn('refused', path), detail);
  });
});

describe('domain names CF refuses', () => {
  it.each([
    ['a newline and a comment', 'evil.com\n# x'],
    ['a space', 'evil .com'],
    ['a double quote', 'evil".com'],
    ['a $', '$home.com'],
    ['a backslash', 'evil\\.com'],
  ])('a private domain name with %s', async (_what, name) => {
    const orgs = await call<ListResponse<{ guid: string }>>('GET', '/v3/organizations');
    await refusedUnchanged(
      '/v3/domains',
      { name, relationships: { organization: { data: { guid: orgs.body.resources[0]?.guid } } } },
      'is invalid',
    );
  });
});

describe('every path character CF accepts, through the real HAProxy', () => {
  // Each of these beside the plain /a: '$' is the one HAProxy would expand (to nothing when unset,
  // so '/a$b' would match everything under /a); the rest are URI path characters that HAProxy
  // or a map file might read as syntax.
  const accepted = [
    '/a$b',
    '/a$home',
    "/a'b",
    '/a%41b',
    '/a%25',
    '/a%22b',
    '/a;b',
    '/a=b',
    '/a&b',
    '/a(b)',
    '/a*b',
    '/a+b',
    '/a,b',
    '/a:b',
    '/a@b',
    '/a!b',
    '/a~b',
    '/a.b',
    '/a_b',
    '/a-b',
    '/a/UPPER',
  ];
  let routes: RouteResource[] = [];

  beforeAll(async () => {
    for (const path of ['/a', ...accepted]) {
      const res = await call<RouteResource>('POST', '/v3/routes', routeIn('sec', path));
      expect([path, res.status]).toEqual([path, 201]);
      expect(res.body.path).toBe(path);
    }
    // A plain route (the host map) and one on another host, neither to be disturbed.
    for (const host of ['plain', 'other']) {
      expect((await call('POST', '/v3/routes', routeIn(host))).status).toBe(201);
    }
    routes = (await call<ListResponse<RouteResource>>('GET', '/v3/routes?per_page=100')).body
      .resources;
    expect(routes).toHaveLength(accepted.length + 3);
  });

  it('renders a configuration that passes haproxy -c and a map of two fields a line', async () => {
    // As the router sync builds them: the route's URL, lowercase, and its running instances.
    const rendered = [];
    for (const r of routes) {
      rendered.push({
        address: r.url.toLowerCase(),
        backend: r.guid,
        servers: [{ name: `${r.guid}_0_x`, address: await router.backend(r.url) }],
      });
    }
    const { outcome, hostMap } = await router.apply(rendered);
    expect(outcome).toEqual({ applied: true });
    expect(hostMap.text.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(/^other\.apps\.localhost be_[0-9a-f-]{36}$/),
      expect.stringMatching(/^plain\.apps\.localhost be_[0-9a-f-]{36}$/),
    ]);
  });

  it.each(accepted)('the route sec.apps.localhost%s answers as itself', async (path) => {
    for (const suffix of ['', '/deeper']) {
      const res = await router.get('sec.apps.localhost', `${path}${suffix}`);
      expect([path + suffix, res.status, res.seen?.backend]).toEqual([
        path + suffix,
        200,
        `sec.apps.localhost${path}`,
      ]);
    }
  });

  it('takes no other route: /a and /a/x still reach /a, and /a$bx (no segment boundary) is nobody', async () => {
    for (const path of ['/a', '/a/x', '/a/b', '/a/%24b']) {
      const res = await router.get('sec.apps.localhost', path);
      expect([path, res.status, res.seen?.backend]).toEqual([path, 200, 'sec.apps.localhost/a']);
    }
    for (const path of ['/a$bx', '/ab', '/']) {
      const res = await router.get('sec.apps.localhost', path);
      expect([path, res.status]).toEqual([path, 404]);
    }
    expect((await router.get('plain.apps.localhost', '/a$b')).seen?.backend).toBe(
      'plain.apps.localhost',
    );
    expect((await router.get('other.apps.localhost', '/')).seen?.backend).toBe(
      'other.apps.localhost',
    );
  });

  it('matches an uppercase path whatever case the request uses, as CF does', async () => {
    for (const path of ['/a/UPPER', '/a/upper', '/A/Upper/x']) {
      const res = await router.get('sec.apps.localhost', path);
      expect([path, res.seen?.backend]).toEqual([path, 'sec.apps.localhost/a/UPPER']);
    }
  });
});
