import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OrganizationResource } from '@wharf/contracts';
import { StoredTokenProvider } from '../auth/stored-token.provider';
import { CliConfigStore } from '../config/cli-config.store';
import { ApiError } from '../errors/api.error';
import { CliError } from '../errors/cli.error';
import { FakeApiServer, cfError, page } from '../testing/fake-api.server';
import { ApiClient, type TokenProvider } from './api.client';

const org = (guid: string, name: string): Partial<OrganizationResource> => ({ guid, name });

class FixedTokens implements TokenProvider {
  refreshes = 0;
  constructor(
    private current: string,
    private readonly next: string,
  ) {}
  accessToken(): Promise<string> {
    return Promise.resolve(this.current);
  }
  refresh(): Promise<string> {
    this.refreshes++;
    this.current = this.next;
    return Promise.resolve(this.current);
  }
}

const invalidToken = cfError(401, 1000, 'CF-InvalidAuthToken', 'Invalid Auth Token');

describe('ApiClient against a real HTTP server', () => {
  let server: FakeApiServer;
  let base: string;

  beforeEach(async () => {
    server = new FakeApiServer();
    base = await server.start();
  });

  afterEach(async () => {
    await server.stop();
  });

  it('follows pagination.next.href until the last page and keeps the filters', async () => {
    server.on('GET', '/v3/organizations', (req, b) => {
      switch (req.query.get('page')) {
        case null:
          return page(b, [org('1', 'a'), org('2', 'b')], '/v3/organizations?names=a,b,c&page=2');
        case '2':
          return page(b, [org('3', 'c')], '/v3/organizations?names=a,b,c&page=3');
        default:
          return page(b, [], null);
      }
    });
    const client = new ApiClient({ baseUrl: base, tokens: new FixedTokens('t', 't') });
    const orgs = await client.listAll<OrganizationResource>('/v3/organizations', {
      names: 'a,b,c',
    });
    expect(orgs.map((o) => o.name)).toEqual(['a', 'b', 'c']);
    const seen = server.requests.map((r) => r.url);
    expect(seen).toEqual([
      '/v3/organizations?names=a%2Cb%2Cc',
      '/v3/organizations?names=a,b,c&page=2',
      '/v3/organizations?names=a,b,c&page=3',
    ]);
    expect(server.requests.every((r) => r.headers.authorization === 'bearer t')).toBe(true);
  });

  it('turns the CF error envelope into an ApiError carrying the detail and status', async () => {
    server.on('POST', '/v3/organizations', () =>
      cfError(422, 10008, 'CF-UnprocessableEntity', "Organization 'wharf' already exists."),
    );
    const client = new ApiClient({ baseUrl: base, tokens: new FixedTokens('t', 't') });
    const attempt = client.post('/v3/organizations', { name: 'wharf' });
    await expect(attempt).rejects.toBeInstanceOf(ApiError);
    await expect(attempt).rejects.toMatchObject({
      status: 422,
      message: "Organization 'wharf' already exists.",
      nameTaken: true,
    });
    expect(server.requests[0]?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(server.requests[0]?.body ?? '')).toEqual({ name: 'wharf' });
  });

  it('reports a non-CF error body with method, path and status', async () => {
    server.on('GET', '/v3/spaces', () => ({ status: 502, body: 'Bad Gateway' }));
    const client = new ApiClient({ baseUrl: base });
    await expect(client.get('/v3/spaces')).rejects.toThrow(
      'Unexpected response from GET /v3/spaces: HTTP 502',
    );
  });

  it('on 401 CF-InvalidAuthToken refreshes once and retries once with the new token', async () => {
    server.on('GET', '/v3/organizations', (req, b) =>
      req.headers.authorization === 'bearer fresh' ? page(b, [org('1', 'a')], null) : invalidToken,
    );
    const tokens = new FixedTokens('stale', 'fresh');
    const client = new ApiClient({ baseUrl: base, tokens });
    await expect(client.listAll('/v3/organizations')).resolves.toHaveLength(1);
    expect(tokens.refreshes).toBe(1);
    expect(server.requests.map((r) => r.headers.authorization)).toEqual([
      'bearer stale',
      'bearer fresh',
    ]);
  });

  it('does not loop when the refreshed token is rejected too', async () => {
    server.on('GET', '/v3/organizations', () => invalidToken);
    const tokens = new FixedTokens('stale', 'also-bad');
    const client = new ApiClient({ baseUrl: base, tokens });
    await expect(client.get('/v3/organizations')).rejects.toThrow(
      "Not logged in. Use 'wharf login' to log in.",
    );
    expect(tokens.refreshes).toBe(1);
    expect(server.requests).toHaveLength(2);
  });

  it('polls the job named by Location until COMPLETE', async () => {
    let polls = 0;
    server
      .on('DELETE', '/v3/spaces/s1', (_req, b) => ({
        status: 202,
        headers: { location: `${b}/v3/jobs/j1` },
      }))
      .on('GET', '/v3/jobs/j1', () => {
        polls++;
        return { status: 200, body: { guid: 'j1', state: polls < 3 ? 'PROCESSING' : 'COMPLETE' } };
      });
    const client = new ApiClient({ baseUrl: base, jobPollIntervalMs: 1 });
    await expect(client.deleteAndWait('/v3/spaces/s1')).resolves.toBeUndefined();
    expect(polls).toBe(3);
  });

  it("fails with the job's first error detail when the job FAILED", async () => {
    server
      .on('DELETE', '/v3/organizations/o1', (_req, b) => ({
        status: 202,
        headers: { location: `${b}/v3/jobs/j2` },
      }))
      .on('GET', '/v3/jobs/j2', () => ({
        status: 200,
        body: { guid: 'j2', state: 'FAILED', errors: [{ detail: 'Org is not empty' }] },
      }));
    const client = new ApiClient({ baseUrl: base, jobPollIntervalMs: 1 });
    await expect(client.deleteAndWait('/v3/organizations/o1')).rejects.toThrow('Org is not empty');
  });

  it('checks that the endpoint answers a CF root document', async () => {
    server.withRoot();
    await expect(new ApiClient({ baseUrl: base }).root()).resolves.toHaveProperty('links.login');
    server.on('GET', '/', () => ({ status: 200, body: { hello: 'world' } }));
    await expect(new ApiClient({ baseUrl: base }).root()).rejects.toThrow(
      `API endpoint not found at '${base}'`,
    );
  });

  it('reports a refused connection as a request error (transport failure)', async () => {
    await server.stop();
    const attempt = new ApiClient({ baseUrl: base }).root();
    await expect(attempt).rejects.toBeInstanceOf(CliError);
    await expect(attempt).rejects.toThrow(/^Request error: GET .*ECONNREFUSED/);
  });
});

describe('ApiClient with StoredTokenProvider (refresh against the token endpoint)', () => {
  let server: FakeApiServer;
  let base: string;
  let home: string;
  let store: CliConfigStore;

  beforeEach(async () => {
    server = new FakeApiServer().withRoot();
    base = await server.start();
    home = await mkdtemp(join(tmpdir(), 'wharf-home-'));
    store = new CliConfigStore(home);
    await store.save({
      target: base,
      accessToken: 'stale',
      refreshToken: 'r1',
      tokenExpiresAt: '2999-01-01T00:00:00.000Z',
      user: 'admin',
    });
  });

  afterEach(async () => {
    await server.stop();
    await rm(home, { recursive: true, force: true });
  });

  const client = (now = Date.now): ApiClient =>
    new ApiClient({ baseUrl: base, tokens: new StoredTokenProvider({ store, apiUrl: base, now }) });

  it('401 → refresh_token grant with client cf → retry, and persists the new tokens', async () => {
    server
      .on('POST', '/oauth/token', () => ({
        status: 200,
        body: {
          access_token: 'fresh',
          token_type: 'bearer',
          refresh_token: 'r2',
          expires_in: 600,
          scope: 'cloud_controller.admin',
          jti: 'j',
        },
      }))
      .on('GET', '/v3/organizations', (req, b) =>
        req.headers.authorization === 'bearer fresh'
          ? page(b, [org('1', 'a')], null)
          : invalidToken,
      );
    const now = Date.parse('2026-01-01T00:00:00Z');
    await expect(client(() => now).listAll('/v3/organizations')).resolves.toHaveLength(1);

    const tokenRequest = server.requests.find((r) => r.path === '/oauth/token');
    expect(tokenRequest?.headers.authorization).toBe(
      `Basic ${Buffer.from('cf:').toString('base64')}`,
    );
    expect(tokenRequest?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(tokenRequest?.body))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'r1',
    });
    await expect(store.load()).resolves.toMatchObject({
      accessToken: 'fresh',
      refreshToken: 'r2',
      tokenExpiresAt: '2026-01-01T00:10:00.000Z',
      user: 'admin',
    });
  });

  it('refreshes before the call when the stored token has expired', async () => {
    await store.update((c) => ({ ...c, tokenExpiresAt: '2000-01-01T00:00:00.000Z' }));
    server
      .on('POST', '/oauth/token', () => ({
        status: 200,
        body: { access_token: 'fresh', refresh_token: 'r2', expires_in: 600, token_type: 'bearer' },
      }))
      .on('GET', '/v3/organizations', (req, b) =>
        req.headers.authorization === 'bearer fresh' ? page(b, [], null) : invalidToken,
      );
    await expect(client().listAll('/v3/organizations')).resolves.toEqual([]);
    expect(server.count('GET', '/v3/organizations')).toBe(1);
  });

  it('a refused refresh means "Not logged in" and leaves the stored tokens alone', async () => {
    server
      .on('POST', '/oauth/token', () => ({
        status: 401,
        body: { error: 'invalid_token', error_description: 'Invalid refresh token' },
      }))
      .on('GET', '/v3/organizations', () => invalidToken);
    await expect(client().listAll('/v3/organizations')).rejects.toThrow(
      "Not logged in. Use 'wharf login' to log in.",
    );
    await expect(store.load()).resolves.toMatchObject({ accessToken: 'stale', refreshToken: 'r1' });
  });
});
