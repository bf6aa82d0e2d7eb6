import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expectEveryChangeAudited } from './support/audit-trail';
import { E2E } from './support/e2e-env';
import { expectSuccess, run, RunResult, wharf } from './support/run';

const started = new Date();

/**
 * Users of a shared platform, through the CLI and the API as they would use it: users and roles
 * made with create-user / set-org-role / set-space-role, each user logged in with a CLI of their
 * own, the role matrix on a pushed app, an org that another org's users never see, revoked
 * refresh tokens and throttled logins.
 */
jest.setTimeout(600_000);

const work = mkdtempSync(join(tmpdir(), 'wharf-e2e-tenancy-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const PASSWORDS = {
  alice: 'alice-e2e-secret-pw1',
  bob: 'bob-e2e-secret-pw2',
  carol: 'carol-e2e-secret-pw3',
  dave: 'dave-e2e-secret-pw4',
  eve: 'eve-e2e-secret-pw5',
};
type User = keyof typeof PASSWORDS;
const ENV_SECRET = 'env-value-e2e-secret-42';
const CREDENTIAL_SECRET = 'cred-e2e-secret-77';

/** A CLI with a home (and so a login) of its own. */
const as = (user: User, ...args: string[]): Promise<RunResult> =>
  run(`${E2E.root}/bin/wharf`, args, { env: { WHARF_HOME: join(work, `home-${user}`) } });

async function token(user: User | 'admin'): Promise<{ access: string; refresh: string }> {
  const res = await login(user, user === 'admin' ? adminPassword() : PASSWORDS[user]);
  const body = (await res.json()) as { access_token: string; refresh_token: string };
  if (res.status !== 200) throw new Error(`login ${user}: ${res.status}`);
  return { access: body.access_token, refresh: body.refresh_token };
}

function login(username: string, password: string): Promise<Response> {
  return fetch(`${E2E.apiUrl}/oauth/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from('cf:').toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'password', username, password }).toString(),
  });
}

function adminPassword(): string {
  return readFileSync(resolve(E2E.stateDir, 'secrets/admin-password'), 'utf8').trim();
}

async function api<T>(
  bearer: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${E2E.apiUrl}${path}`, {
    method,
    headers: {
      authorization: `bearer ${bearer}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

const tokens = {} as Record<User | 'admin', string>;
let appGuid = '';
let spaceGuid = '';
const otherOrg = { org: '', space: '', app: '', instance: '' };

describe('users and roles through the CLI', () => {
  it('an admin creates orgs, users and roles; org-users and space-users list them', async () => {
    for (const args of [
      ['create-org', 'tenancy-a'],
      ['create-space', 'dev', '-o', 'tenancy-a'],
      ['create-org', 'tenancy-b'],
      ['create-space', 'other', '-o', 'tenancy-b'],
    ])
      expectSuccess(await wharf(...args), args.join(' '));
    for (const user of Object.keys(PASSWORDS) as User[]) {
      const created = await wharf('create-user', user, PASSWORDS[user]);
      expectSuccess(created, `create-user ${user}`);
      expect(created.stdout).toContain(`Creating user ${user}...`);
    }
    const again = await wharf('create-user', 'alice', 'whatever');
    expect(again.code).toBe(0);
    expect(again.stdout + again.stderr).toContain("User 'alice' already exists.");

    expectSuccess(
      await wharf('set-space-role', 'alice', 'tenancy-a', 'dev', 'SpaceDeveloper'),
      'set-space-role alice',
    );
    expectSuccess(
      await wharf('set-space-role', 'bob', 'tenancy-a', 'dev', 'SpaceAuditor'),
      'set-space-role bob',
    );
    const orgRole = await wharf('set-org-role', 'carol', 'tenancy-a', 'OrgManager');
    expectSuccess(orgRole, 'set-org-role carol');
    expect(orgRole.stdout).toContain(
      'Assigning role OrgManager to user carol in org tenancy-a as admin...',
    );
    const wrongRole = await wharf('set-org-role', 'carol', 'tenancy-a', 'OrgWizard');
    expect(wrongRole.code).not.toBe(0);
    expect(wrongRole.stderr).toContain('ROLE must be one of OrgManager, OrgAuditor');
    const noUser = await wharf('set-org-role', 'nobody-here', 'tenancy-a', 'OrgAuditor');
    expect(noUser.code).not.toBe(0);
    expect(noUser.stderr).toContain("No user exists with the username 'nobody-here'");

    const orgUsers = await wharf('org-users', 'tenancy-a');
    expectSuccess(orgUsers, 'org-users');
    expect(orgUsers.stdout).toMatch(/ORG MANAGER\n\s+carol \(uaa\)/);
    expect(orgUsers.stdout).toMatch(/ORG AUDITOR\n\s+No org auditor found/);
    const all = await wharf('org-users', 'tenancy-a', '-a');
    expect(all.stdout).toMatch(/USERS\n\s+alice \(uaa\)\n\s+bob \(uaa\)/);
    const spaceUsers = await wharf('space-users', 'tenancy-a', 'dev');
    expectSuccess(spaceUsers, 'space-users');
    expect(spaceUsers.stdout).toMatch(/SPACE DEVELOPER\n\s+alice \(uaa\)/);
    expect(spaceUsers.stdout).toMatch(/SPACE AUDITOR\n\s+bob \(uaa\)/);
    expect(spaceUsers.stdout).toMatch(/SPACE MANAGER\n\s+No space manager found/);
  });

  it('a space developer logs in with their own CLI and pushes; an auditor cannot', async () => {
    for (const user of ['alice', 'bob'] as User[]) {
      expectSuccess(
        await as(
          user,
          'login',
          '-a',
          E2E.apiUrl,
          '-u',
          user,
          '-p',
          PASSWORDS[user],
          '-o',
          'tenancy-a',
          '-s',
          'dev',
        ),
        `login ${user}`,
      );
    }
    const dir = join(work, 'site');
    cpSync(resolve(E2E.root, 'test/fixtures/node-app'), dir, { recursive: true });
    const pushed = await as('alice', 'push', 'tenant-app', '-p', dir, '-m', '128M');
    expectSuccess(pushed, 'alice push');
    const refused = await as('bob', 'push', 'bobs-app', '-p', dir, '-m', '128M');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('You are not authorized to perform the requested action');
    const apps = await as('bob', 'apps');
    expectSuccess(apps, 'bob apps');
    expect(apps.stdout).toContain('tenant-app');
    expect(apps.stdout).not.toContain('bobs-app');
    const env = await as('bob', 'env', 'tenant-app');
    expect(env.code).not.toBe(0);
    expect(env.stderr).toContain('You are not authorized to perform the requested action');
  });
});

describe('the role matrix on the pushed app', () => {
  beforeAll(async () => {
    for (const user of ['admin', ...Object.keys(PASSWORDS)] as (User | 'admin')[]) {
      tokens[user] = (await token(user)).access;
    }
    const apps = await api<{
      resources: { guid: string; relationships: { space: { data: { guid: string } } } }[];
    }>(tokens.alice, 'GET', '/v3/apps?names=tenant-app');
    appGuid = apps.body.resources[0]?.guid ?? '';
    spaceGuid = apps.body.resources[0]?.relationships.space.data.guid ?? '';
    expect(appGuid).not.toBe('');
  });

  // alice: space developer, bob: space auditor, carol: org manager, dave: no role at all
  const WHO = ['admin', 'alice', 'bob', 'carol', 'dave'] as const;
  const rows: [string, (who: (typeof WHO)[number]) => Promise<number>, number[]][] = [
    [
      'read app',
      async (w) => (await api(tokens[w], 'GET', `/v3/apps/${appGuid}`)).status,
      [200, 200, 200, 200, 404],
    ],
    [
      'read env values',
      async (w) => (await api(tokens[w], 'GET', `/v3/apps/${appGuid}/env`)).status,
      [200, 200, 403, 403, 404],
    ],
    [
      'change env',
      async (w) =>
        (
          await api(tokens[w], 'PATCH', `/v3/apps/${appGuid}/environment_variables`, {
            var: { TOKEN: ENV_SECRET },
          })
        ).status,
      [200, 200, 403, 403, 404],
    ],
    [
      'push (create an app)',
      async (w) =>
        (
          await api(tokens[w], 'POST', '/v3/apps', {
            name: `matrix-${w}`,
            relationships: { space: { data: { guid: spaceGuid } } },
          })
        ).status,
      [201, 201, 403, 403, 422],
    ],
    [
      'scale',
      async (w) =>
        (
          await api(tokens[w], 'POST', `/v3/apps/${appGuid}/processes/web/actions/scale`, {
            instances: 1,
          })
        ).status,
      [202, 202, 403, 403, 404],
    ],
    [
      'create service',
      async (w) =>
        (
          await api(tokens[w], 'POST', '/v3/service_instances', {
            type: 'user-provided',
            name: `ups-${w}`,
            credentials: { password: CREDENTIAL_SECRET },
            relationships: { space: { data: { guid: spaceGuid } } },
          })
        ).status,
      [201, 201, 403, 403, 422],
    ],
    [
      'bind',
      async (w) => {
        const instance = await api<{ guid: string }>(
          tokens.admin,
          'POST',
          '/v3/service_instances',
          {
            type: 'user-provided',
            name: `bind-target-${w}`,
            credentials: { password: CREDENTIAL_SECRET },
            relationships: { space: { data: { guid: spaceGuid } } },
          },
        );
        return (
          await api(tokens[w], 'POST', '/v3/service_credential_bindings', {
            type: 'app',
            relationships: {
              service_instance: { data: { guid: instance.body.guid } },
              app: { data: { guid: appGuid } },
            },
          })
        ).status;
      },
      [201, 201, 403, 403, 422],
    ],
    [
      'manage roles',
      async (w) =>
        (
          await api(tokens[w], 'POST', '/v3/roles', {
            type: 'space_auditor',
            relationships: {
              user: { data: { username: 'eve' } },
              space: { data: { guid: spaceGuid } },
            },
          })
        ).status,
      // eve has no org role yet: only those who may manage roles get that far (422)
      [422, 403, 403, 422, 422],
    ],
  ];

  it.each(rows)('%s', async (_name, request, expected) => {
    const got: Record<string, number> = {};
    for (const who of WHO) got[who] = await request(who);
    expect(got).toEqual(Object.fromEntries(WHO.map((w, i) => [w, expected[i]])));
  });
});

describe('tenancy', () => {
  it("a user of org A lists nothing of org B anywhere and gets 404 on B's guids", async () => {
    const b = await api<{ resources: { guid: string }[] }>(
      tokens.admin,
      'GET',
      '/v3/organizations?names=tenancy-b',
    );
    otherOrg.org = b.body.resources[0]?.guid ?? '';
    const s = await api<{ resources: { guid: string }[] }>(
      tokens.admin,
      'GET',
      `/v3/spaces?organization_guids=${otherOrg.org}`,
    );
    otherOrg.space = s.body.resources[0]?.guid ?? '';
    const app = await api<{ guid: string }>(tokens.admin, 'POST', '/v3/apps', {
      name: 'b-app',
      relationships: { space: { data: { guid: otherOrg.space } } },
    });
    otherOrg.app = app.body.guid;
    const ups = await api<{ guid: string }>(tokens.admin, 'POST', '/v3/service_instances', {
      type: 'user-provided',
      name: 'b-db',
      credentials: { password: CREDENTIAL_SECRET },
      relationships: { space: { data: { guid: otherOrg.space } } },
    });
    otherOrg.instance = ups.body.guid;
    const lists = [
      '/v3/organizations',
      '/v3/spaces',
      '/v3/apps',
      '/v3/processes',
      '/v3/routes',
      '/v3/service_instances',
      '/v3/service_credential_bindings',
      '/v3/roles',
      '/v3/users',
      '/v3/audit_events',
    ];
    for (const who of ['alice', 'bob', 'carol'] as User[]) {
      for (const path of lists) {
        const res = await api<{ resources: unknown[] }>(
          tokens[who],
          'GET',
          `${path}?per_page=5000`,
        );
        expect({ who, path, status: res.status }).toEqual({ who, path, status: 200 });
        const text = JSON.stringify(res.body.resources);
        for (const guid of Object.values(otherOrg)) {
          expect({ who, path, leaked: text.includes(guid) }).toEqual({ who, path, leaked: false });
        }
      }
      for (const path of [
        `/v3/organizations/${otherOrg.org}`,
        `/v3/spaces/${otherOrg.space}`,
        `/v3/apps/${otherOrg.app}`,
        `/v3/service_instances/${otherOrg.instance}`,
      ]) {
        expect({ who, path, status: (await api(tokens[who], 'GET', path)).status }).toEqual({
          who,
          path,
          status: 404,
        });
      }
    }
    const orgs = await as('alice', 'orgs');
    expect(orgs.stdout).toContain('tenancy-a');
    expect(orgs.stdout).not.toContain('tenancy-b');
  });

  it('unset-space-role takes the space away at once; delete-user ends the user', async () => {
    expectSuccess(
      await wharf('unset-space-role', 'bob', 'tenancy-a', 'dev', 'SpaceAuditor'),
      'unset-space-role',
    );
    expect((await api(tokens.bob, 'GET', `/v3/apps/${appGuid}`)).status).toBe(404);
    const deleted = await wharf('delete-user', 'dave', '-f');
    expectSuccess(deleted, 'delete-user');
    expect((await api(tokens.dave, 'GET', '/v3/organizations')).status).toBe(401);
    expect((await login('dave', PASSWORDS.dave)).status).toBe(401);
  });
});

/** Runs in the app's container; prints what each connection attempt came to. */
const PROBE = `
const net = require('net');
const targets = JSON.parse(process.argv[1]);
const startup = (user) => {
  const body = Buffer.concat([Buffer.from([0, 3, 0, 0]), Buffer.from('user\\0' + user + '\\0database\\0postgres\\0\\0')]);
  const len = Buffer.alloc(4); len.writeInt32BE(body.length + 4); return Buffer.concat([len, body]);
};
Promise.all(targets.map((t) => new Promise((done) => {
  const s = net.connect({ host: t.host, port: t.port, timeout: 3000 });
  const end = (r) => { s.destroy(); done({ ...t, result: r }); };
  s.on('connect', () => {
    if (!t.pgUser) return end('connected');
    s.write(startup(t.pgUser));
    s.once('data', (d) => end(d[0] === 82 && d.readInt32BE(5) === 0 ? 'logged in' : 'refused by postgres'));
  });
  s.on('timeout', () => end('timeout'));
  s.on('error', (e) => end(e.code));
}))).then((r) => console.log(JSON.stringify(r)));
`;

describe('the app container', () => {
  it('runs unprivileged, with root in it unprivileged on the host, and fenced off from the platform', () => {
    const docker = (...args: string[]) =>
      execFileSync('docker', ['-H', E2E.dockerHost, ...args], { encoding: 'utf8' }).trim();
    const id =
      docker('ps', '-q', '--filter', `label=wharf.app_guid=${appGuid}`).split('\n')[0] ?? '';
    expect(id).not.toBe('');
    expect(docker('exec', id, 'id', '-u')).not.toBe('0');
    const status = docker('exec', id, 'cat', '/proc/self/status');
    expect(status).toMatch(/^CapEff:\s+0000000000000000$/m);
    expect(status).toMatch(/^NoNewPrivs:\s+1$/m);
    docker('exec', '-u', '0', id, 'touch', '/tmp/made-by-container-root');
    const upper = docker('inspect', '-f', '{{.GraphDriver.Data.UpperDir}}', id);
    const owner = statSync(join(upper, 'tmp/made-by-container-root')).uid;
    expect(owner).toBeGreaterThanOrEqual(65536);
    // Neither engine's socket is there: test exits 1. (An ls of both printed "No such file" even
    // with one of them there.)
    const sockets = 'test -e /var/run/docker.sock || test -e /run/wharf/docker.sock';
    const socket = spawnSync('docker', ['-H', E2E.dockerHost, 'exec', id, 'sh', '-c', sockets]);
    expect(socket.status).toBe(1);

    const gateway = docker(
      'inspect',
      '-f',
      '{{range .NetworkSettings.Networks}}{{.Gateway}}{{end}}',
      id,
    );
    const targets = [
      { name: 'platform PostgreSQL', host: gateway, port: Number(E2E.pgPort) },
      { name: 'platform Redis', host: gateway, port: Number(E2E.redisPort) },
      { name: 'API', host: gateway, port: 9200 },
      { name: 'Docker API', host: gateway, port: 2375 },
      { name: 'services PostgreSQL as postgres', host: gateway, port: 5436, pgUser: 'postgres' },
      {
        name: 'services PostgreSQL as the platform',
        host: gateway,
        port: 5436,
        pgUser: 'wharf_e2e',
      },
    ];
    const results = JSON.parse(
      docker('exec', id, 'node', '-e', PROBE, JSON.stringify(targets)),
    ) as {
      name: string;
      result: string;
    }[];
    for (const r of results) {
      expect({ [r.name]: ['connected', 'logged in'].includes(r.result) }).toEqual({
        [r.name]: false,
      });
    }
  });
});

describe('quotas', () => {
  it("pushing past the org's memory quota fails naming the quota; scaling within it succeeds", async () => {
    const admin = (...args: string[]) =>
      run(`${E2E.root}/bin/wharf`, args, { env: { WHARF_HOME: join(work, 'home-admin') } });
    expectSuccess(
      await admin('login', '-a', E2E.apiUrl, '-u', 'admin', '-p', adminPassword(), '-o', 'wharf'),
      'admin login',
    );
    expectSuccess(await admin('create-org', 'tenancy-q'), 'create-org');
    expectSuccess(await admin('create-space', 'dev', '-o', 'tenancy-q'), 'create-space');
    expectSuccess(await admin('target', '-o', 'tenancy-q', '-s', 'dev'), 'target');
    const created = await admin('create-org-quota', 'small', '-m', '256M', '-i', '256M', '-a', '4');
    expectSuccess(created, 'create-org-quota');
    expect(created.stdout).toContain('Creating org quota small as admin...');
    expectSuccess(await admin('set-org-quota', 'tenancy-q', 'small'), 'set-org-quota');
    const shown = await admin('org-quota', 'small');
    expect(shown.stdout).toMatch(/total memory:\s+256M/);
    expect(shown.stdout).toMatch(/app instances:\s+4/);

    const dir = join(work, 'quota-app');
    cpSync(resolve(E2E.root, 'test/fixtures/node-app'), dir, { recursive: true });
    expectSuccess(await admin('push', 'q-one', '-p', dir, '-m', '128M'), 'push within the quota');
    const scaled = await admin('scale', 'q-one', '-i', '2');
    expectSuccess(scaled, 'scale within the quota');
    const over = await admin('push', 'q-two', '-p', dir, '-m', '128M');
    expect(over.code).not.toBe(0);
    expect(over.stdout + over.stderr).toContain(
      "You have exceeded your organization's memory limit: organization quota 'small' allows 256 MB in total; 256 MB are in use",
    );
    const tooBig = await admin('scale', 'q-one', '-i', '3');
    expect(tooBig.code).not.toBe(0);
    expect(tooBig.stderr).toContain("organization quota 'small'");
    const apps = await admin('app', 'q-one');
    expect(apps.stdout).toMatch(/instances:\s+\d\/2/);
  });
});

describe('tokens', () => {
  it('a revoked refresh token no longer works', async () => {
    const { refresh } = await token('alice');
    const refreshWith = () =>
      fetch(`${E2E.apiUrl}/oauth/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from('cf:').toString('base64')}`,
        },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: refresh,
        }).toString(),
      });
    expect((await refreshWith()).status).toBe(200);
    const revoked = await fetch(`${E2E.apiUrl}/oauth/revoke`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from('cf:').toString('base64')}`,
      },
      body: new URLSearchParams({ token: refresh }).toString(),
    });
    expect(revoked.status).toBe(200);
    expect((await refreshWith()).status).toBe(401);
  });

  it('20 wrong passwords in a row get 429, and then even the right one waits', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await login('eve', `wrong-${i}`)).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual(Array(10).fill(429));
    const right = await login('eve', PASSWORDS.eve);
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('the audit trail', () => {
  it('has an audit event for every change this file made through the API, without secrets', async () => {
    await expectEveryChangeAudited(started, [
      ...Object.values(PASSWORDS),
      ENV_SECRET,
      CREDENTIAL_SECRET,
    ]);
  });
});
