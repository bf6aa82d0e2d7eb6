import { E2E } from './support/e2e-env';
import { alive, killWithChildren, pidFrom } from './support/processes';
import { expectSuccess, run, wharf } from './support/run';
import { expectEveryChangeAudited } from './support/audit-trail';

const started = new Date();

jest.setTimeout(180_000);

const api = (path: string, init: RequestInit = {}) => fetch(`${E2E.apiUrl}${path}`, init);

async function token(): Promise<string> {
  const r = await wharf('oauth-token');
  expect(r.code).toBe(0);
  return r.stdout.trim();
}

describe('a platform started by npm run up', () => {
  it('has the CLI logged in and targeted at wharf/dev', async () => {
    const orgs = await wharf('orgs');
    expect(orgs.code).toBe(0);
    expect(orgs.stdout).toMatch(/^Getting orgs as admin\.\.\./);
    expect(orgs.stdout.split('\n').map((l) => l.trim())).toContain('wharf');
    const target = await wharf('target');
    expect(target.stdout).toMatch(/org:\s+wharf/);
    expect(target.stdout).toMatch(/space:\s+dev/);
  });

  it('wharf buildpacks lists the system buildpacks in detection order', async () => {
    const r = await wharf('buildpacks');
    expect(r.code).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => /^\d+\s/.test(l));
    expect(rows.map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual([
      '1 nodejs_buildpack',
      '2 python_buildpack',
      '3 go_buildpack',
      '4 staticfile_buildpack',
      '5 binary_buildpack',
    ]);
  });

  it("set-env, env and unset-env manage an app's own variables", async () => {
    const space = JSON.parse((await wharf('curl', '/v3/spaces?names=dev')).stdout) as {
      resources: { guid: string }[];
    };
    const created = await wharf(
      'curl',
      '-X',
      'POST',
      '/v3/apps',
      '-d',
      JSON.stringify({
        name: 'env-app',
        relationships: { space: { data: { guid: space.resources[0]?.guid } } },
      }),
    );
    expect(created.code).toBe(0);
    const set = await wharf('set-env', 'env-app', 'GREETING', 'hello world');
    expect(set.code).toBe(0);
    expect(set.stdout).toContain(
      'Setting env variable GREETING for app env-app in org wharf / space dev as admin...',
    );
    expect(set.stdout).toContain('OK');
    const env = await wharf('env', 'env-app');
    expect(env.stdout).toContain('User-Provided:\nGREETING: hello world');
    expect(env.stdout).toContain('"application_name": "env-app"');
    expect(env.stdout).toContain('VCAP_SERVICES: {}');
    const bad = await wharf('set-env', 'env-app', 'VCAP_SERVICES', 'x');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('cannot start with VCAP_');
    expect((await wharf('unset-env', 'env-app', 'GREETING')).code).toBe(0);
    expect((await wharf('env', 'env-app')).stdout).toContain(
      'No user-provided env variables have been set',
    );
    const missing = await wharf('env', 'no-such-app');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("App 'no-such-app' not found.");
  });

  it('answers /healthz with a status per dependency', async () => {
    const res = await api('/healthz');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { checks: Record<string, { status: string }> };
    expect(body.checks.postgres?.status).toBe('up');
    expect(body.checks.redis?.status).toBe('up');
    expect(body.checks.docker?.status).toBe('up');
  });

  it('wharf curl prints the CF list envelope', async () => {
    const r = await wharf('curl', '/v3/organizations');
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout) as {
      pagination: { total_results: number };
      resources: { name: string }[];
    };
    expect(body.pagination.total_results).toBeGreaterThanOrEqual(1);
    expect(body.resources.map((o) => o.name)).toContain('wharf');
  });

  it('refuses requests without a token, answers unknown guids and malformed JSON with CF errors', async () => {
    const anon = await api('/v3/apps');
    expect(anon.status).toBe(401);
    expect(((await anon.json()) as { errors: { title: string }[] }).errors[0]?.title).toBe(
      'CF-NotAuthenticated',
    );

    const auth = { authorization: await token() };
    const unknown = await api('/v3/organizations/0d4e6f0a-1111-4222-8333-444455556666', {
      headers: auth,
    });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { errors: { title: string }[] }).errors[0]?.title).toBe(
      'CF-ResourceNotFound',
    );

    const malformed = await api('/v3/organizations', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{"name":',
    });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { errors: { title: string }[] }).errors[0]?.title).toBe(
      'CF-MessageParseError',
    );
  });

  it('answers a wrong password in the UAA shape', async () => {
    const res = await api('/oauth/token', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from('cf:').toString('base64')}`,
      },
      body: 'grant_type=password&username=admin&password=wrong',
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      error: 'unauthorized',
      error_description: 'Bad credentials',
    });
  });

  it('creates and deletes orgs and spaces through the CLI', async () => {
    expect((await wharf('create-org', 'e2e-org')).code).toBe(0);
    const again = await wharf('create-org', 'e2e-org');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already exists');
    const space = await wharf('create-space', 'e2e-space', '-o', 'e2e-org');
    expect(space.code).toBe(0);
    expect(space.stdout).toContain('OK');

    const refused = await wharf('delete-org', 'e2e-org', '-f');
    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toContain('still has 1 space');
    expect(refused.stderr).toContain('FAILED');

    expect((await wharf('delete-space', 'e2e-space', '-o', 'e2e-org', '-f')).code).toBe(0);
    const deleted = await wharf('delete-org', 'e2e-org', '-f');
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toContain('OK');
    const orgs = await wharf('orgs');
    expect(orgs.stdout).not.toContain('e2e-org');
  });

  it('comes back with all data after api, worker, PostgreSQL and Redis are killed with SIGKILL', async () => {
    expect((await wharf('create-org', 'survivor')).code).toBe(0);
    // The supervisors and their node children, Redis and the postmaster: everything at once.
    await killWithChildren([
      pidFrom(`${E2E.stateDir}/run/api.pid`),
      pidFrom(`${E2E.stateDir}/run/worker.pid`),
      pidFrom(`${E2E.stateDir}/run/redis.pid`),
      pidFrom('/var/lib/postgresql/15/wharf-e2e/postmaster.pid'),
    ]);
    const down = await api('/healthz').catch(() => null);
    expect(down).toBeNull();

    const up = await run('bash', [`${E2E.root}/scripts/up.sh`], { timeoutMs: 300_000 });
    expectSuccess(up, 'npm run up after SIGKILL');
    const orgs = await wharf('orgs');
    expect(orgs.stdout).toContain('survivor');
    expect(orgs.stdout).toContain('wharf');
    expect((await api('/healthz')).status).toBe(200);
  });

  it('a second npm run up while everything runs restarts nothing and changes nothing', async () => {
    const pids = () =>
      ['api', 'worker', 'redis'].map((name) => pidFrom(`${E2E.stateDir}/run/${name}.pid`));
    const before = pids();
    const up = await run('bash', [`${E2E.root}/scripts/up.sh`]);
    expectSuccess(up, 'a second npm run up');
    expect(up.stdout).not.toMatch(/Starting|Installing|Building|created:|restarting/);
    expect(up.stdout).toContain('platform already bootstrapped; nothing to do');
    // The same processes as before, still running: none was stopped and started again.
    expect(pids()).toEqual(before);
    expect(before.filter((p) => !alive(p))).toEqual([]);
    expect((await api('/healthz')).status).toBe(200);
  });
});

describe('the audit trail', () => {
  it('has an audit event for every change this file made through the API, without secrets', async () => {
    await expectEveryChangeAudited(started, ['hello world']);
  });
});
