import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JwtService } from '@nestjs/jwt';
import { Queue } from 'bullmq';
import type {
  ErrorResponse,
  JobResource,
  ListResponse,
  OrganizationResource,
  SpaceResource,
  TokenResponse,
} from '@wharf/contracts';
import { redisConnection } from '@wharf/platform/redis';
import { CliContext } from '../../apps/cli/src/cli.context';
import { runCli } from '../../apps/cli/src/cli.program';
import { CliConfigStore } from '../../apps/cli/src/config/cli-config.store';
import type { Prompter } from '../../apps/cli/src/ui/terminal.prompter';
import { type OutputStream, TerminalUi } from '../../apps/cli/src/ui/terminal.ui';
import { startTestPlatform, TestPlatform } from '../support/test-platform';

jest.setTimeout(60_000);

let platform: TestPlatform;
let admin: string;

beforeAll(async () => {
  platform = await startTestPlatform();
  admin = await platform.login('admin', { admin: true });
});

afterAll(async () => {
  await platform?.close();
});

async function call<T>(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; raw?: string } = {},
) {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `bearer ${options.token}`;
  if (options.body !== undefined || options.raw !== undefined)
    headers['content-type'] = 'application/json';
  const res = await fetch(`${platform.url}${path}`, {
    method,
    headers,
    body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: (text ? JSON.parse(text) : undefined) as T,
  };
}

const token = (form: Record<string, string>, client = 'cf') =>
  fetch(`${platform.url}/oauth/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${client}:`).toString('base64')}`,
    },
    body: new URLSearchParams(form).toString(),
  });

const claimsOf = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as Record<
    string,
    unknown
  >;

async function waitForJob(location: string): Promise<JobResource> {
  const path = new URL(location).pathname;
  for (let i = 0; i < 100; i++) {
    const { body } = await call<JobResource>('GET', path, { token: admin });
    if (body.state === 'COMPLETE' || body.state === 'FAILED') return body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${location} did not finish`);
}

class Capture implements OutputStream {
  text = '';
  isTTY = false;
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

/** Answers the CLI's prompts in order, as a user at a terminal would. */
class ScriptedPrompter implements Prompter {
  readonly interactive = true;
  constructor(private readonly answers: string[]) {}
  private next(): Promise<string> {
    return Promise.resolve(this.answers.shift() ?? '');
  }
  input(): Promise<string> {
    return this.next();
  }
  password(): Promise<string> {
    return this.next();
  }
  async confirm(): Promise<boolean> {
    return (await this.next()) === 'y';
  }
}

describe('root and health', () => {
  it('serves CF root links without a token', async () => {
    const root = await call<{ links: Record<string, { href: string } | null> }>('GET', '/');
    expect(root.status).toBe(200);
    expect(root.body.links.cloud_controller_v3?.href).toBe(`${platform.url}/v3`);
    expect(root.body.links.login?.href).toBe(platform.url);
    const v3 = await call<{ links: Record<string, { href: string }> }>('GET', '/v3', {
      token: admin,
    });
    expect(v3.body.links.organizations?.href).toBe(`${platform.url}/v3/organizations`);
  });

  it('reports each dependency in /healthz', async () => {
    const res = await call<{ status: string; checks: Record<string, { status: string }> }>(
      'GET',
      '/healthz',
    );
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
    expect(Object.keys(res.body.checks).sort()).toEqual(['docker', 'postgres', 'redis']);
    expect(Object.values(res.body.checks).every((c) => c.status === 'up')).toBe(true);
  });

  it('serves an OpenAPI document naming every endpoint', async () => {
    const res = await call<{ openapi: string; paths: Record<string, unknown> }>(
      'GET',
      '/docs/openapi.json',
    );
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    for (const path of [
      '/',
      '/v3',
      '/healthz',
      '/oauth/token',
      '/v3/organizations',
      '/v3/organizations/{guid}',
      '/v3/spaces',
      '/v3/spaces/{guid}',
      '/v3/jobs/{guid}',
    ]) {
      expect(Object.keys(res.body.paths)).toContain(path);
    }
  });
});

describe('authentication', () => {
  it('answers 401 CF-NotAuthenticated without a token, even for paths that do not exist', async () => {
    for (const path of ['/v3/organizations', '/v3/apps']) {
      const res = await call<ErrorResponse>('GET', path);
      expect(res.status).toBe(401);
      expect(res.body.errors[0]?.title).toBe('CF-NotAuthenticated');
      expect(res.body.errors[0]?.code).toBe(10002);
    }
  });

  it('answers 401 CF-InvalidAuthToken for garbage, another key, an expired token or a refresh token', async () => {
    const other = new JwtService({ secret: 'another-key-another-key-another-key-1234' });
    const forged = await other.signAsync(
      { sub: 'x', token_use: 'access' },
      { issuer: `${platform.url}/oauth/token` },
    );
    const real = new JwtService({ secret: platform.config.auth.jwtSecret });
    const claims = JSON.parse(
      Buffer.from(admin.split('.')[1] ?? '', 'base64url').toString(),
    ) as Record<string, unknown>;
    const { exp: _exp, iat: _iat, ...rest } = claims;
    const expired = await real.signAsync({ ...rest, exp: Math.floor(Date.now() / 1000) - 10 });
    const tokens = (await (
      await token({ grant_type: 'password', username: 'admin', password: 'pw-admin-secret' })
    ).json()) as TokenResponse;
    for (const bad of ['garbage', forged, expired, tokens.refresh_token]) {
      const res = await call<ErrorResponse>('GET', '/v3/organizations', { token: bad });
      expect(res.status).toBe(401);
      expect(res.body.errors[0]?.title).toBe('CF-InvalidAuthToken');
    }
  });

  it('issues UAA-shaped tokens and refreshes them; wrong passwords get UAA errors', async () => {
    const ok = await token({
      grant_type: 'password',
      username: 'admin',
      password: 'pw-admin-secret',
    });
    expect(ok.status).toBe(200);
    const t = (await ok.json()) as TokenResponse;
    expect(t.token_type).toBe('bearer');
    expect(t.expires_in).toBe(platform.config.auth.accessTokenTtl);
    expect(t.scope.split(' ')).toContain('cloud_controller.admin');

    const wrong = await token({ grant_type: 'password', username: 'admin', password: 'nope' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({
      error: 'unauthorized',
      error_description: 'Bad credentials',
    });
    const nobody = await token({ grant_type: 'password', username: 'nobody', password: 'nope' });
    expect(nobody.status).toBe(401);

    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: t.refresh_token });
    expect(refreshed.status).toBe(200);
    const r = (await refreshed.json()) as TokenResponse;
    const me = await call<ListResponse<OrganizationResource>>('GET', '/v3/organizations', {
      token: r.access_token,
    });
    expect(me.status).toBe(200);

    const unsupported = await token({ grant_type: 'client_credentials' });
    expect(unsupported.status).toBe(400);
    expect(((await unsupported.json()) as { error: string }).error).toBe('unsupported_grant_type');
  });

  it('refuses an access token not meant for the Cloud Controller', async () => {
    expect(claimsOf(admin).aud).toEqual(expect.arrayContaining(['cloud_controller', 'cf']));
    const real = new JwtService({ secret: platform.config.auth.jwtSecret });
    const { exp: _exp, iat: _iat, aud: _aud, ...rest } = claimsOf(admin);
    // The key, issuer and claims of a real token: only the audience differs.
    const sign = (audience?: string[]) =>
      real.signAsync(rest, { expiresIn: 300, ...(audience ? { audience } : {}) });
    const right = await call('GET', '/v3/organizations', {
      token: await sign(['cloud_controller']),
    });
    expect(right.status).toBe(200);
    for (const audience of [['cf', 'uaa'], undefined]) {
      const res = await call<ErrorResponse>('GET', '/v3/organizations', {
        token: await sign(audience),
      });
      expect(res.status).toBe(401);
      expect(res.body.errors[0]?.title).toBe('CF-InvalidAuthToken');
    }
  });

  it('refreshes a token only for the client it was issued to', async () => {
    const t = (await (
      await token({ grant_type: 'password', username: 'admin', password: 'pw-admin-secret' })
    ).json()) as TokenResponse;
    const other = await token(
      { grant_type: 'refresh_token', refresh_token: t.refresh_token },
      'wharf',
    );
    expect(other.status).toBe(400);
    expect(await other.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'Wrong client for this refresh token: cf',
    });
    const own = await token({ grant_type: 'refresh_token', refresh_token: t.refresh_token });
    expect(own.status).toBe(200);
    const r = (await own.json()) as TokenResponse;
    expect(claimsOf(r.access_token).cid).toBe('cf');
  });

  it('refuses a revoked refresh token', async () => {
    const t = (await (
      await token({ grant_type: 'password', username: 'admin', password: 'pw-admin-secret' })
    ).json()) as TokenResponse;
    const revoke = await fetch(`${platform.url}/oauth/revoke`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from('cf:').toString('base64')}`,
      },
      body: new URLSearchParams({ token: t.refresh_token }).toString(),
    });
    expect(revoke.status).toBe(200);
    const again = await token({ grant_type: 'refresh_token', refresh_token: t.refresh_token });
    expect(again.status).toBe(401);
    expect(((await again.json()) as { error: string }).error).toBe('invalid_token');
  });
});

describe('brute force and passwords', () => {
  it('answers 429 CF-UaaRateLimited after ten wrong passwords in a row for a user, even to the right one', async () => {
    await platform.login('victim');
    const attempt = (password: string) =>
      token({ grant_type: 'password', username: 'victim', password });
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await attempt(`wrong-${i}`)).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual(Array(10).fill(429));
    const blocked = await attempt('pw-victim-secret');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await blocked.json()) as { error: string; errors: { title: string }[] };
    expect(body.error).toBe('too_many_requests');
    expect(body.errors[0]?.title).toBe('CF-UaaRateLimited');
    // Another user logs in as usual.
    expect(
      (await token({ grant_type: 'password', username: 'admin', password: 'pw-admin-secret' }))
        .status,
    ).toBe(200);
  });

  it('a password change needs the old password and revokes the refresh tokens', async () => {
    await platform.login('changer');
    const login = async (password: string) =>
      token({ grant_type: 'password', username: 'changer', password });
    const t = (await (await login('pw-changer-secret')).json()) as TokenResponse;
    const userGuid = (
      JSON.parse(Buffer.from(t.access_token.split('.')[1] ?? '', 'base64url').toString()) as {
        user_id: string;
      }
    ).user_id;
    const change = (body: object, bearer = t.access_token) =>
      fetch(`${platform.url}/Users/${userGuid}/password`, {
        method: 'PUT',
        headers: { authorization: `bearer ${bearer}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const wrongOld = await change({ oldPassword: 'nope', password: 'a-new-password' });
    expect(wrongOld.status).toBe(401);
    const tooShort = await change({ oldPassword: 'pw-changer-secret', password: 'short' });
    expect(tooShort.status).toBe(400);
    const other = await change(
      { oldPassword: 'x', password: 'a-new-password' },
      await platform.login('bystander'),
    );
    expect(other.status).toBe(404);
    const ok = await change({ oldPassword: 'pw-changer-secret', password: 'a-new-password' });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: 'ok', message: 'password updated' });
    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: t.refresh_token });
    expect(refreshed.status).toBe(401);
    expect((await login('pw-changer-secret')).status).toBe(401);
    expect((await login('a-new-password')).status).toBe(200);
  });

  it('refuses every access token issued before a password change on the very next request', async () => {
    await platform.login('rotator');
    const login = async (password: string) =>
      (await (
        await token({ grant_type: 'password', username: 'rotator', password })
      ).json()) as TokenResponse;
    const session = await login('pw-rotator-secret');
    const elsewhere = await login('pw-rotator-secret');
    const orgs = (bearer: string) =>
      call<ErrorResponse>('GET', '/v3/organizations', { token: bearer });
    expect((await orgs(session.access_token)).status).toBe(200);
    expect((await orgs(elsewhere.access_token)).status).toBe(200);

    const userGuid = claimsOf(session.access_token).user_id as string;
    const change = await call('PUT', `/Users/${userGuid}/password`, {
      token: session.access_token,
      body: { oldPassword: 'pw-rotator-secret', password: 'rotated-password' },
    });
    expect(change.status).toBe(200);
    for (const before of [session.access_token, elsewhere.access_token]) {
      const res = await orgs(before);
      expect(res.status).toBe(401);
      expect(res.body.errors[0]?.title).toBe('CF-InvalidAuthToken');
    }
    const again = await login('rotated-password');
    expect((await orgs(again.access_token)).status).toBe(200);

    // An admin setting the password ends the user's sessions the same way.
    const reset = await call('PUT', `/Users/${userGuid}/password`, {
      token: admin,
      body: { password: 'reset-by-admin' },
    });
    expect(reset.status).toBe(200);
    expect((await orgs(again.access_token)).status).toBe(401);
    const refreshed = await token({
      grant_type: 'refresh_token',
      refresh_token: again.refresh_token,
    });
    expect(refreshed.status).toBe(401);
    expect((await orgs(admin)).status).toBe(200);
  });

  it('wharf passwd: the session it ran in is refused right after, and it says to log in again', async () => {
    await platform.login('cli-user');
    const home = await mkdtemp(join(tmpdir(), 'wharf-home-'));
    const store = new CliConfigStore(home);
    const wharf = async (args: string[], answers: string[] = []) => {
      const out = new Capture();
      const ctx = new CliContext({
        store,
        ui: new TerminalUi(out, new Capture()),
        prompter: new ScriptedPrompter(answers),
        version: '0.1.0',
        jobPollIntervalMs: 1,
      });
      return { code: await runCli(ctx, args), out: out.text };
    };
    try {
      const login = await wharf([
        'login',
        '-a',
        platform.url,
        '-u',
        'cli-user',
        '-p',
        'pw-cli-user-secret',
      ]);
      expect(login.code).toBe(0);
      const before = (await store.load()).accessToken ?? '';
      expect((await call('GET', '/v3/organizations', { token: before })).status).toBe(200);

      const passwd = await wharf(
        ['passwd'],
        ['pw-cli-user-secret', 'cli-new-password', 'cli-new-password'],
      );
      expect(passwd.code).toBe(0);
      expect(passwd.out).toContain('Please log in again.');
      const res = await call<ErrorResponse>('GET', '/v3/organizations', { token: before });
      expect(res.status).toBe(401);
      expect(res.body.errors[0]?.title).toBe('CF-InvalidAuthToken');
      expect((await store.load()).accessToken).toBeUndefined();

      const again = await wharf([
        'login',
        '-a',
        platform.url,
        '-u',
        'cli-user',
        '-p',
        'cli-new-password',
      ]);
      expect(again.code).toBe(0);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  it("refuses a deleted user's tokens as soon as the deletion is accepted", async () => {
    const doomed = await platform.login('doomed');
    const tokens = (await (
      await token({ grant_type: 'password', username: 'doomed', password: 'pw-doomed-secret' })
    ).json()) as TokenResponse;
    expect((await call('GET', '/v3/organizations', { token: doomed })).status).toBe(200);
    // The deletion job waits, so what refuses the token is the deletion's own effect.
    const identityJobs = new Queue('identity', {
      connection: redisConnection(platform.config.redisUrl),
      prefix: platform.config.queuePrefix,
    });
    await identityJobs.pause();
    let del: Awaited<ReturnType<typeof call>>;
    try {
      del = await call('DELETE', `/v3/users/${claimsOf(doomed).user_id as string}`, {
        token: admin,
      });
      expect(del.status).toBe(202);
      const right = await call<ErrorResponse>('GET', '/v3/organizations', { token: doomed });
      expect(right.status).toBe(401);
      expect(right.body.errors[0]?.title).toBe('CF-InvalidAuthToken');
      const refreshed = await token({
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token,
      });
      expect(refreshed.status).toBe(401);
    } finally {
      await identityJobs.resume();
      await identityJobs.close();
    }
    expect((await waitForJob(del.headers.get('location') ?? '')).state).toBe('COMPLETE');
    expect((await call('GET', '/v3/organizations', { token: doomed })).status).toBe(401);
  });
});

describe('organizations and spaces', () => {
  it('creates, reads, updates and paginates organizations', async () => {
    const names = ['delta', 'alpha', 'echo', 'charlie', 'bravo', 'foxtrot', 'golf'].map(
      (n) => `org-${n}`,
    );
    for (const name of names) {
      const res = await call<OrganizationResource>('POST', '/v3/organizations', {
        token: admin,
        body: { name, metadata: { labels: { env: 'test' } } },
      });
      expect(res.status).toBe(201);
      expect(res.body.name).toBe(name);
      expect(res.body.links.self?.href).toBe(`${platform.url}/v3/organizations/${res.body.guid}`);
      expect(res.body.metadata.labels).toEqual({ env: 'test' });
    }
    const page1 = await call<ListResponse<OrganizationResource>>(
      'GET',
      '/v3/organizations?per_page=3&order_by=-name',
      { token: admin },
    );
    expect(page1.status).toBe(200);
    expect(page1.body.pagination.total_results).toBe(7);
    expect(page1.body.pagination.total_pages).toBe(3);
    expect(page1.body.pagination.previous).toBeNull();
    expect(page1.body.resources.map((o) => o.name)).toEqual([
      'org-golf',
      'org-foxtrot',
      'org-echo',
    ]);
    const next = page1.body.pagination.next?.href ?? '';
    expect(next).toContain('order_by=-name');
    const page2 = await call<ListResponse<OrganizationResource>>(
      'GET',
      new URL(next).pathname + new URL(next).search,
      { token: admin },
    );
    expect(page2.body.resources.map((o) => o.name)).toEqual([
      'org-delta',
      'org-charlie',
      'org-bravo',
    ]);
    const last = await call<ListResponse<OrganizationResource>>(
      'GET',
      '/v3/organizations?per_page=3&page=3&order_by=-name',
      { token: admin },
    );
    expect(last.body.resources.map((o) => o.name)).toEqual(['org-alpha']);
    expect(last.body.pagination.next).toBeNull();

    const filtered = await call<ListResponse<OrganizationResource>>(
      'GET',
      '/v3/organizations?names=org-alpha,org-golf&order_by=name',
      { token: admin },
    );
    expect(filtered.body.resources.map((o) => o.name)).toEqual(['org-alpha', 'org-golf']);

    const alpha = filtered.body.resources[0] as OrganizationResource;
    const patched = await call<OrganizationResource>('PATCH', `/v3/organizations/${alpha.guid}`, {
      token: admin,
      body: { name: 'org-alpha-2', metadata: { labels: { env: null, tier: 'gold' } } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.name).toBe('org-alpha-2');
    expect(patched.body.metadata.labels).toEqual({ tier: 'gold' });
    const got = await call<OrganizationResource>('GET', `/v3/organizations/${alpha.guid}`, {
      token: admin,
    });
    expect(got.body.name).toBe('org-alpha-2');
  });

  it('answers bad list parameters with CF-BadQueryParameter', async () => {
    for (const q of [
      'per_page=0',
      'per_page=5001',
      'page=0',
      'page=x',
      'order_by=color',
      'colour=red',
    ]) {
      const res = await call<ErrorResponse>('GET', `/v3/organizations?${q}`, { token: admin });
      expect(res.status).toBe(400);
      expect(res.body.errors[0]?.title).toBe('CF-BadQueryParameter');
    }
  });

  it('answers bad bodies with CF errors and changes nothing', async () => {
    const before = await call<ListResponse<OrganizationResource>>('GET', '/v3/organizations', {
      token: admin,
    });
    const malformed = await call<ErrorResponse>('POST', '/v3/organizations', {
      token: admin,
      raw: '{"name": ',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors[0]?.title).toBe('CF-MessageParseError');
    const unknownField = await call<ErrorResponse>('POST', '/v3/organizations', {
      token: admin,
      body: { name: 'x', colour: 'red' },
    });
    expect(unknownField.status).toBe(422);
    expect(unknownField.body.errors[0]?.detail).toContain("Unknown field(s): 'colour'");
    const noName = await call<ErrorResponse>('POST', '/v3/organizations', {
      token: admin,
      body: {},
    });
    expect(noName.status).toBe(422);
    expect(noName.body.errors[0]?.title).toBe('CF-UnprocessableEntity');
    const badLabel = await call<ErrorResponse>('POST', '/v3/organizations', {
      token: admin,
      body: { name: 'y', metadata: { labels: { 'bad key!': 'v' } } },
    });
    expect(badLabel.status).toBe(422);
    const duplicate = await call<ErrorResponse>('POST', '/v3/organizations', {
      token: admin,
      body: { name: 'org-golf' },
    });
    expect(duplicate.status).toBe(422);
    expect(duplicate.body.errors[0]?.detail).toBe("Organization 'org-golf' already exists.");
    const some = before.body.resources[0] as OrganizationResource;
    for (const body of [{ name: null }, { suspended: null }, { metadata: null }]) {
      const res = await call<ErrorResponse>('PATCH', `/v3/organizations/${some.guid}`, {
        token: admin,
        body,
      });
      expect(res.status).toBe(422);
      expect(res.body.errors[0]?.title).toBe('CF-UnprocessableEntity');
    }
    const after = await call<ListResponse<OrganizationResource>>('GET', '/v3/organizations', {
      token: admin,
    });
    expect(after.body.pagination.total_results).toBe(before.body.pagination.total_results);
  });

  it('answers unknown guids with 404 CF-ResourceNotFound', async () => {
    for (const path of [
      '/v3/organizations/5b9a6c4e-0000-4000-8000-000000000000',
      '/v3/organizations/not-a-guid',
      '/v3/spaces/5b9a6c4e-0000-4000-8000-000000000000',
      '/v3/jobs/5b9a6c4e-0000-4000-8000-000000000000',
    ]) {
      const res = await call<ErrorResponse>('GET', path, { token: admin });
      expect(res.status).toBe(404);
      expect(res.body.errors[0]).toEqual(
        expect.objectContaining({ code: 10010, title: 'CF-ResourceNotFound' }),
      );
    }
  });

  it('deletes through jobs, refusing non-empty organizations', async () => {
    const org = (
      await call<OrganizationResource>('POST', '/v3/organizations', {
        token: admin,
        body: { name: 'doomed' },
      })
    ).body;
    const space = await call<SpaceResource>('POST', '/v3/spaces', {
      token: admin,
      body: { name: 'dev', relationships: { organization: { data: { guid: org.guid } } } },
    });
    expect(space.status).toBe(201);
    expect(space.body.relationships.organization.data?.guid).toBe(org.guid);
    const dupSpace = await call<ErrorResponse>('POST', '/v3/spaces', {
      token: admin,
      body: { name: 'dev', relationships: { organization: { data: { guid: org.guid } } } },
    });
    expect(dupSpace.status).toBe(422);

    const refused = await call<ErrorResponse>('DELETE', `/v3/organizations/${org.guid}`, {
      token: admin,
    });
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0]?.title).toBe('CF-AssociationNotEmpty');
    expect(refused.body.errors[0]?.detail).toContain('still has 1 space');

    const spaceList = await call<ListResponse<SpaceResource>>(
      'GET',
      `/v3/spaces?organization_guids=${org.guid}`,
      { token: admin },
    );
    expect(spaceList.body.resources.map((s) => s.name)).toEqual(['dev']);

    const delSpace = await call<undefined>('DELETE', `/v3/spaces/${space.body.guid}`, {
      token: admin,
    });
    expect(delSpace.status).toBe(202);
    const spaceJob = await waitForJob(delSpace.headers.get('location') ?? '');
    expect(spaceJob.state).toBe('COMPLETE');
    expect(spaceJob.operation).toBe('space.delete');
    expect((await call('GET', `/v3/spaces/${space.body.guid}`, { token: admin })).status).toBe(404);

    const delOrg = await call<undefined>('DELETE', `/v3/organizations/${org.guid}`, {
      token: admin,
    });
    expect(delOrg.status).toBe(202);
    expect(delOrg.headers.get('location')).toMatch(
      new RegExp(`^${platform.url}/v3/jobs/[0-9a-f-]{36}$`),
    );
    const orgJob = await waitForJob(delOrg.headers.get('location') ?? '');
    expect(orgJob.state).toBe('COMPLETE');
    expect((await call('GET', `/v3/organizations/${org.guid}`, { token: admin })).status).toBe(404);
  });

  it('hides everything from a user without roles and forbids creating orgs', async () => {
    const user = await platform.login('nobody-in-particular');
    const list = await call<ListResponse<OrganizationResource>>('GET', '/v3/organizations', {
      token: user,
    });
    expect(list.status).toBe(200);
    expect(list.body.resources).toEqual([]);
    const some = (
      await call<ListResponse<OrganizationResource>>('GET', '/v3/organizations?per_page=1', {
        token: admin,
      })
    ).body.resources[0];
    expect(
      (await call('GET', `/v3/organizations/${some?.guid ?? ''}`, { token: user })).status,
    ).toBe(404);
    const create = await call<ErrorResponse>('POST', '/v3/organizations', {
      token: user,
      body: { name: 'mine' },
    });
    expect(create.status).toBe(403);
    expect(create.body.errors[0]?.title).toBe('CF-NotAuthorized');
  });
});
