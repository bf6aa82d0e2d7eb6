import type { AppResource } from '@wharf/contracts';
import { DomainSeedAction } from '@wharf/routing';
import { apiCall } from '../support/api-call';
import { startTestPlatform, TestPlatform } from '../support/test-platform';
import { databaseSnapshot, headerValues, orgAndSpace, rawHttp } from './support/catalogue';
import { PrivateRouter } from './support/private-router';

/**
 * The bad-input catalogue, headers: CR, LF and NUL where the API reflects a header
 * (X-Vcap-Request-Id) or renders links (Host), and where the router forwards or logs one. HTTP
 * clients refuse to send these, so the bytes go over a raw socket to 127.0.0.1. Each is refused
 * with a 400 or reaches nobody as a header of its own.
 */
jest.setTimeout(60_000);

let platform: TestPlatform;
let token: string;
let app: AppResource;
let apiPort = 0;
const router = new PrivateRouter();
const call = apiCall(
  () => platform.url,
  () => token,
);
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

const apiGet = (headerLines: string, path = `/v3/apps/${app.guid}`) =>
  rawHttp(
    apiPort,
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${apiPort}\r\nAuthorization: bearer ${token}\r\n${headerLines}Connection: close\r\n\r\n`,
  );

beforeAll(async () => {
  platform = await startTestPlatform();
  await platform.api.get(DomainSeedAction).execute();
  token = await platform.login('header-attacker', { admin: true });
  apiPort = Number(new URL(platform.url).port);
  const { space } = await orgAndSpace(call, 'header-org');
  app = (
    await call<AppResource>('POST', '/v3/apps', {
      name: 'target',
      relationships: { space: { data: { guid: space } } },
    })
  ).body;
  await router.start();
  const backend = await router.backend('web');
  const { outcome } = await router.apply([
    {
      address: 'web.apps.localhost',
      backend: 'r1',
      servers: [{ name: 'a_0_i', address: backend }],
    },
  ]);
  expect(outcome).toEqual({ applied: true });
});
afterAll(async () => {
  await router.stop();
  await platform?.close();
});

describe('the API', () => {
  it('an X-Vcap-Request-Id with CRLF and a Set-Cookie after it is a header of its own, never echoed', async () => {
    const res = await apiGet('X-Vcap-Request-Id: abc\r\nSet-Cookie: pwned=1\r\n');
    expect(res.status).toBe(200);
    expect(headerValues(res, 'set-cookie')).toEqual([]);
    expect(headerValues(res, 'x-vcap-request-id')).toEqual([
      expect.stringMatching(new RegExp(`^abc::${UUID}$`)),
    ]);
  });

  it.each([
    ['a bare CR', 'X-Vcap-Request-Id: abc\rSet-Cookie: pwned=1\r\n'],
    ['a NUL', 'X-Vcap-Request-Id: abc\0Set-Cookie: pwned=1\r\n'],
    ['an obsolete line fold', 'X-Vcap-Request-Id: abc\r\n Set-Cookie: pwned=1\r\n'],
    ['a CR in the Host header', ''],
  ])(
    'an X-Vcap-Request-Id with %s is refused with 400, nothing answered from the API',
    async (what, lines) => {
      const res =
        what === 'a CR in the Host header'
          ? await rawHttp(
              apiPort,
              `GET /v3/apps/${app.guid} HTTP/1.1\r\nHost: evil\rLocation: x\r\nConnection: close\r\n\r\n`,
            )
          : await apiGet(lines);
      expect(res.status).toBe(400);
      expect(headerValues(res, 'set-cookie')).toEqual([]);
      expect(headerValues(res, 'location')).toEqual([]);
      expect(res.body).not.toContain(app.guid);
    },
  );

  it('an X-Vcap-Request-Id with a bare LF ends the header there: the rest is a request header, not a response one', async () => {
    const res = await apiGet('X-Vcap-Request-Id: abc\nSet-Cookie: pwned=1\r\n');
    // Node reads a bare LF as a line end (lenient, as RFC 9112 allows); whatever it does, the
    // answer carries no Set-Cookie and an id without a line break.
    expect([200, 400]).toContain(res.status);
    expect(headerValues(res, 'set-cookie')).toEqual([]);
    for (const id of headerValues(res, 'x-vcap-request-id'))
      expect(id).toMatch(new RegExp(`^(abc::)?${UUID}$`));
  });

  it.each([
    ['quotes and spaces', 'a "b" c'],
    ['a 10 KB value', 'a'.repeat(10_000)],
    ['percent-encoded CRLF', 'abc%0d%0aSet-Cookie:%20pwned=1'],
  ])('an X-Vcap-Request-Id with %s is replaced by a fresh id, not echoed', async (_what, id) => {
    const res = await apiGet(`X-Vcap-Request-Id: ${id}\r\n`);
    expect(res.status).toBe(200);
    expect(headerValues(res, 'x-vcap-request-id')).toEqual([
      expect.stringMatching(new RegExp(`^${UUID}$`)),
    ]);
  });

  it('a Host header of an attacker does not reach the links the API renders', async () => {
    const res = await rawHttp(
      apiPort,
      `GET /v3/apps/${app.guid} HTTP/1.1\r\nHost: evil.example\r\nX-Forwarded-Host: evil.example\r\nAuthorization: bearer ${token}\r\nConnection: close\r\n\r\n`,
    );
    expect(res.status).toBe(200);
    expect(res.body).toContain(`"href":"${platform.url}/v3/apps/${app.guid}"`);
    expect(res.body).not.toContain('evil.example');
  });

  it('a CRLF percent-encoded in the URL path is a 404 in the body, no header', async () => {
    const before = await databaseSnapshot(platform.config.databaseUrl);
    const res = await apiGet('', '/v3/apps/%0d%0aSet-Cookie:%20pwned=1');
    expect(res.status).toBe(404);
    expect(headerValues(res, 'set-cookie')).toEqual([]);
    expect(JSON.parse(res.body.replace(/^[0-9a-f]+\r\n|\r\n0\r\n\r\n$/g, ''))).toEqual({
      errors: [expect.objectContaining({ code: 10010, title: 'CF-ResourceNotFound' })],
    });
    expect(await databaseSnapshot(platform.config.databaseUrl)).toEqual(before);
  });
});

describe('the router', () => {
  const routerGet = (headerLines: string, host = 'web.apps.localhost') =>
    rawHttp(
      router.port,
      `GET /x HTTP/1.1\r\nHost: ${host}\r\n${headerLines}Connection: close\r\n\r\n`,
    );

  it("a client's X-Vcap-Request-Id is replaced: the app and the client see the router's own", async () => {
    const res = await routerGet('X-Vcap-Request-Id: forged\r\n');
    expect(res.status).toBe(200);
    const seen = JSON.parse(res.body) as { headers: Record<string, string> };
    expect(seen.headers['x-vcap-request-id']).toMatch(new RegExp(`^${UUID}$`));
  });

  it('an X-Vcap-Request-Id with a NUL is dropped by the router: the app sees its own id only', async () => {
    const res = await routerGet('X-Vcap-Request-Id: abc\0X-Injected: 1\r\n');
    expect(res.status).toBe(200);
    const seen = JSON.parse(res.body) as { headers: Record<string, string> };
    expect(seen.headers['x-vcap-request-id']).toMatch(new RegExp(`^${UUID}$`));
    expect(seen.headers['x-injected']).toBeUndefined();
  });

  it.each([
    ['a bare CR in a header', 'X-Vcap-Request-Id: abc\rX-Injected: 1\r\n'],
    ['a NUL in a header', 'X-Other: abc\0X-Injected: 1\r\n'],
    ['a space before the colon', 'X-Injected : 1\r\n'],
  ])('%s is refused with 400 before any app sees it', async (_what, lines) => {
    const res = await routerGet(lines);
    expect(res.status).toBe(400);
    expect(res.body).not.toContain('"backend"');
  });

  it.each([
    ['a CR and a second header in the Host', 'web.apps.localhost\rX-Injected: 1'],
    ['a space in the Host', 'web.apps.localhost evil'],
  ])('%s is refused or reaches no route', async (_what, host) => {
    const res = await routerGet('', host);
    expect([400, 404]).toContain(res.status);
    expect(res.body).not.toContain('"backend"');
  });

  it('a Host with quotes, backslashes and % is answered 404 as text and logged as valid JSON', async () => {
    const count = router.accessLog.length;
    const host = 'a"b\\c%[req.hdr(x)]${HOME}';
    const res = await routerGet('', host);
    expect(res.status).toBe(404);
    expect(res.body).toContain(`Requested route ('${host}') does not exist.`);
    expect(headerValues(res, 'content-type')).toEqual(['text/plain']);
    // Every line logged since is JSON; the previous test's line may still arrive after `count`
    // was taken, so this request's record is found by its host rather than by its position.
    const logged = () =>
      router.accessLog.slice(count).map((line) => JSON.parse(line) as { host: string });
    for (let i = 0; i < 50 && !logged().some((r) => r.host === host); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(logged().map((r) => r.host)).toContain(host);
  });

  it('after all of these the route still answers, through a plain client', async () => {
    const res = await router.get('web.apps.localhost', '/still');
    expect(res.status).toBe(200);
    expect(res.seen?.url).toBe('/still');
    expect(res.seen?.headers['x-injected']).toBeUndefined();
  });
});
