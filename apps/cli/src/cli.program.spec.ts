import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CliConfig, CliConfigStore } from './config/cli-config.store';
import { packageVersion } from './package-version';
import { runWharf, ScriptedPrompter } from './testing/cli-harness';
import { FakeApiServer, cfError, page, type RecordedRequest } from './testing/fake-api.server';
import type { Prompter } from './ui/terminal.prompter';

const ORG = { guid: 'org-1', name: 'wharf' };
const SPACE = { guid: 'space-1', name: 'dev' };

describe('wharf commands against a fake CF API', () => {
  let server: FakeApiServer;
  let base: string;
  let home: string;
  let store: CliConfigStore;

  beforeEach(async () => {
    server = new FakeApiServer().withRoot('3.180.0');
    base = await server.start();
    home = await mkdtemp(join(tmpdir(), 'wharf-home-'));
    store = new CliConfigStore(home);
  });

  afterEach(async () => {
    await server.stop();
    await rm(home, { recursive: true, force: true });
  });

  const wharf = (args: string[], prompter?: Prompter) => runWharf(store, args, prompter);

  const loggedIn = (extra: CliConfig = {}): Promise<void> =>
    store.save({
      target: base,
      accessToken: 'token',
      refreshToken: 'refresh',
      tokenExpiresAt: '2999-01-01T00:00:00.000Z',
      user: 'admin',
      ...extra,
    });

  const tokenGrant = (req: RecordedRequest) => {
    const form = new URLSearchParams(req.body);
    return form.get('password') === 'secret'
      ? {
          status: 200,
          body: {
            access_token: 'token',
            token_type: 'bearer',
            refresh_token: 'refresh',
            expires_in: 599,
            scope: 'cloud_controller.admin',
            jti: 'jti',
          },
        }
      : { status: 401, body: { error: 'unauthorized', error_description: 'Bad credentials' } };
  };

  it('--version prints the version from package.json', async () => {
    expect(packageVersion()).toBe('0.1.0');
    const { code, out } = await wharf(['--version']);
    expect(code).toBe(0);
    expect(out).toBe('wharf version 0.1.0\n');
  });

  it('login authenticates with the password grant and targets the only org and space', async () => {
    server
      .on('POST', '/oauth/token', tokenGrant)
      .on('GET', '/v3/organizations', (_r, b) => page(b, [ORG], null))
      .on('GET', '/v3/spaces', (_r, b) => page(b, [SPACE], null));
    const { code, out, err } = await wharf(['login', '-a', base, '-u', 'admin', '-p', 'secret']);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toBe(
      [
        `API endpoint: ${base}`,
        '',
        'Authenticating...',
        '',
        'OK',
        '',
        'Targeted org wharf.',
        '',
        'Targeted space dev.',
        '',
        `API endpoint:   ${base}`,
        'API version:    3.180.0',
        'user:           admin',
        'org:            wharf',
        'space:          dev',
        '',
      ].join('\n'),
    );
    const grant = new URLSearchParams(server.requests.find((r) => r.path === '/oauth/token')?.body);
    expect(grant.get('grant_type')).toBe('password');
    expect(grant.get('username')).toBe('admin');
    await expect(store.load()).resolves.toMatchObject({
      target: base,
      accessToken: 'token',
      refreshToken: 'refresh',
      user: 'admin',
      org: ORG,
      space: SPACE,
    });
  });

  it('login prompts for missing credentials on a terminal', async () => {
    server
      .on('POST', '/oauth/token', tokenGrant)
      .on('GET', '/v3/organizations', (_r, b) =>
        page(b, [ORG, { guid: 'o2', name: 'other' }], null),
      );
    const prompter = new ScriptedPrompter(true, ['admin', 'secret']);
    const { code, out } = await wharf(['login', '-a', base], prompter);
    expect(code).toBe(0);
    expect(prompter.asked).toEqual(['Email:', 'Password:']);
    expect(out).toContain("No org or space targeted, use 'wharf target -o ORG -s SPACE'");
  });

  it('login with rejected credentials says so and fails', async () => {
    server.on('POST', '/oauth/token', tokenGrant);
    const { code, err } = await wharf(['login', '-a', base, '-u', 'admin', '-p', 'wrong']);
    expect(code).toBe(1);
    expect(err).toBe('Credentials were rejected, please try again.\nFAILED\n');
    await expect(store.load()).resolves.toEqual({});
  });

  it('login without a terminal and without -p fails before calling anything', async () => {
    const { code, err } = await wharf(['login', '-a', base, '-u', 'admin']);
    expect(code).toBe(1);
    expect(err).toMatch(
      /Username and password are required when stdin is not a terminal.*\nFAILED\n$/,
    );
    expect(server.requests).toHaveLength(0);
  });

  it('commands need an API endpoint, then a login, then (for spaces) an org', async () => {
    await expect(wharf(['orgs'])).resolves.toMatchObject({
      code: 1,
      err: "No API endpoint set. Use 'wharf login' to set an endpoint.\nFAILED\n",
    });
    await store.save({ target: base });
    await expect(wharf(['orgs'])).resolves.toMatchObject({
      code: 1,
      err: "Not logged in. Use 'wharf login' to log in.\nFAILED\n",
    });
    await loggedIn();
    await expect(wharf(['spaces'])).resolves.toMatchObject({
      code: 1,
      err: "No org targeted, use 'wharf target -o ORG' to target an org.\nFAILED\n",
    });
  });

  it('orgs prints a sorted name table after the opening line', async () => {
    await loggedIn();
    server.on('GET', '/v3/organizations', (req, b) =>
      req.query.get('page') === '2'
        ? page(b, [{ guid: 'o3', name: 'alpha' }], null)
        : page(b, [ORG, { guid: 'o2', name: 'beta' }], '/v3/organizations?page=2'),
    );
    const { code, out } = await wharf(['orgs']);
    expect(code).toBe(0);
    expect(out).toBe('Getting orgs as admin...\n\nname\nalpha\nbeta\nwharf\n');
  });

  it('target with no arguments prints endpoint, version, user, org and space', async () => {
    await loggedIn({ org: ORG, space: SPACE });
    const { code, out } = await wharf(['target']);
    expect(code).toBe(0);
    expect(out).toBe(
      `API endpoint:   ${base}\nAPI version:    3.180.0\nuser:           admin\norg:            wharf\nspace:          dev\n`,
    );
  });

  it('target -o looks the org up by name and targets its only space', async () => {
    await loggedIn();
    server
      .on('GET', '/v3/organizations', (req, b) =>
        page(b, req.query.get('names') === 'wharf' ? [ORG] : [], null),
      )
      .on('GET', '/v3/spaces', (req, b) =>
        page(b, req.query.get('organization_guids') === ORG.guid ? [SPACE] : [], null),
      );
    await expect(wharf(['target', '-o', 'wharf'])).resolves.toMatchObject({ code: 0 });
    await expect(store.load()).resolves.toMatchObject({ org: ORG, space: SPACE });
    await expect(wharf(['target', '-o', 'nope'])).resolves.toMatchObject({
      code: 1,
      err: "Organization 'nope' not found.\nFAILED\n",
    });
  });

  it('org shows its domains (shared and its own), quota and spaces; --guid only the guid', async () => {
    await loggedIn();
    const domain = (name: string, owner: string | null) => ({
      guid: `d-${name}`,
      name,
      relationships: { organization: { data: owner ? { guid: owner } : null } },
    });
    server
      .on('GET', '/v3/organizations', (req, b) =>
        page(b, req.query.get('names') === 'wharf' ? [ORG] : [], null),
      )
      .on('GET', '/v3/domains', (_req, b) =>
        page(
          b,
          [
            domain('apps.localhost', null),
            domain('mine.example', ORG.guid),
            domain('theirs.example', 'o9'),
          ],
          null,
        ),
      )
      .on('GET', '/v3/organization_quotas', (req, b) =>
        page(
          b,
          req.query.get('organization_guids') === ORG.guid ? [{ name: 'default' }] : [],
          null,
        ),
      )
      .on('GET', '/v3/spaces', (_req, b) => page(b, [{ guid: 's2', name: 'prod' }, SPACE], null));
    const { code, out } = await wharf(['org', 'wharf']);
    expect(code).toBe(0);
    expect(out).toBe(
      'Getting info for org wharf as admin...\n\nname:      wharf\ndomains:   apps.localhost, mine.example\nquota:     default\nspaces:    dev, prod\n',
    );
    await expect(wharf(['org', 'wharf', '--guid'])).resolves.toMatchObject({
      code: 0,
      out: `${ORG.guid}\n`,
    });
    await expect(wharf(['org', 'nope'])).resolves.toMatchObject({
      code: 1,
      err: "Organization 'nope' not found.\nFAILED\n",
    });
  });

  it('space shows its org, apps, services and space quota', async () => {
    await loggedIn({ org: ORG, space: SPACE });
    const named = (...names: string[]) => names.map((name) => ({ guid: `g-${name}`, name }));
    server
      .on('GET', '/v3/spaces', (req, b) =>
        page(b, req.query.get('names') === 'dev' ? [SPACE] : [], null),
      )
      .on('GET', '/v3/apps', (_req, b) => page(b, named('web', 'api'), null))
      .on('GET', '/v3/service_instances', (_req, b) => page(b, named('db'), null))
      .on('GET', '/v3/space_quotas', (_req, b) => page(b, [], null));
    const { code, out } = await wharf(['space', 'dev']);
    expect(code).toBe(0);
    expect(out).toBe(
      'Getting info for space dev in org wharf as admin...\n\nname:          dev\norg:           wharf\napps:          api, web\nservices:      db\nspace quota:\n',
    );
    await expect(wharf(['space', 'nope'])).resolves.toMatchObject({
      code: 1,
      err: "Space 'nope' not found.\nFAILED\n",
    });
  });

  it('app and scale print measured disk usage, ? where the API does not know it, - for a stopped instance', async () => {
    await loggedIn({ org: ORG, space: SPACE });
    const MB = 1024 * 1024;
    const app = {
      guid: 'app-1',
      name: 'web',
      state: 'STARTED',
      lifecycle: { type: 'buildpack', data: { buildpacks: [], stack: 'bookworm' } },
    };
    const process = {
      guid: 'proc-1',
      type: 'web',
      instances: 3,
      memory_in_mb: 256,
      command: 'node server.js',
    };
    const instance = (index: number, state: string, usage: Record<string, unknown>) => ({
      type: 'web',
      index,
      state,
      usage,
      host: '10.0.0.5',
      instance_internal_ip: null,
      instance_ports: [],
      uptime: 0,
      mem_quota: 256 * MB,
      disk_quota: 1024 * MB,
      fds_quota: 16384,
      details: null,
    });
    const time = '2030-01-01T00:00:00Z';
    server
      .on('GET', '/v3/apps', (req, b) =>
        page(b, req.query.get('names') === 'web' ? [app] : [], null),
      )
      .on('GET', '/v3/apps/app-1', () => ({ status: 200, body: app }))
      .on('GET', '/v3/apps/app-1/droplets/current', () =>
        cfError(404, 10010, 'CF-ResourceNotFound', 'Droplet not found'),
      )
      .on('GET', '/v3/apps/app-1/processes', (_req, b) => page(b, [process], null))
      .on('GET', '/v3/apps/app-1/routes', (_req, b) => page(b, [], null))
      .on('GET', '/v3/deployments', (_req, b) => page(b, [], null))
      .on('GET', '/v3/processes/proc-1', () => ({ status: 200, body: process }))
      .on('GET', '/v3/processes/proc-1/stats', () => ({
        status: 200,
        body: {
          resources: [
            instance(0, 'RUNNING', { time, cpu: 0.012, mem: 35 * MB, disk: 5 * MB }),
            instance(1, 'RUNNING', { time, cpu: 0, mem: 30 * MB, disk: null }),
            instance(2, 'DOWN', {}),
          ],
        },
      }));
    for (const args of [
      ['app', 'web'],
      ['scale', 'web'],
    ]) {
      const { code, out } = await wharf(args);
      expect(code).toBe(0);
      const rows = out.split('\n').filter((l) => /^#\d/.test(l));
      expect(rows).toHaveLength(3);
      expect(rows[0]).toMatch(/^#0\s+running\s+.*1\.2%\s+35M of 256M\s+5M of 1G$/);
      expect(rows[1]).toMatch(/^#1\s+running\s+.*30M of 256M\s+\? of 1G$/);
      expect(rows[2]).toMatch(/^#2\s+down\s+.*0 of 256M\s+- of 1G$/);
      expect(out).not.toContain('0B of 1G');
    }
  });

  it('create-org of an existing org prints "already exists" and OK', async () => {
    await loggedIn();
    server.on('POST', '/v3/organizations', () =>
      cfError(422, 10008, 'CF-UnprocessableEntity', "Organization 'wharf' already exists."),
    );
    const { code, out } = await wharf(['create-org', 'wharf']);
    expect(code).toBe(0);
    expect(out).toBe('Creating org wharf as admin...\nOrg wharf already exists.\nOK\n');
  });

  it('create-space posts the org relationship and other API errors fail with their detail', async () => {
    await loggedIn({ org: ORG });
    server.on('POST', '/v3/spaces', () => ({ status: 201, body: { guid: 's9', name: 'qa' } }));
    await expect(wharf(['create-space', 'qa'])).resolves.toMatchObject({ code: 0 });
    expect(JSON.parse(server.requests.at(-1)?.body ?? '')).toEqual({
      name: 'qa',
      relationships: { organization: { data: { guid: ORG.guid } } },
    });
    server.on('POST', '/v3/spaces', () =>
      cfError(
        403,
        10003,
        'CF-NotAuthorized',
        'You are not authorized to perform the requested action',
      ),
    );
    await expect(wharf(['create-space', 'qa'])).resolves.toMatchObject({
      code: 1,
      err: 'You are not authorized to perform the requested action\nFAILED\n',
    });
  });

  it('delete-org of a missing org says it does not exist, then OK', async () => {
    await loggedIn();
    server.on('GET', '/v3/organizations', (_r, b) => page(b, [], null));
    const { code, out } = await wharf(['delete-org', 'nope', '-f']);
    expect(code).toBe(0);
    expect(out).toBe('Deleting org nope as admin...\nOrg nope does not exist.\nOK\n');
  });

  it('delete-org without -f and without a terminal refuses to ask', async () => {
    await loggedIn();
    const { code, err } = await wharf(['delete-org', 'wharf']);
    expect(code).toBe(1);
    expect(err).toMatch(/stdin is not a terminal\. Use -f.*\nFAILED\n$/);
    expect(server.requests).toHaveLength(0);
  });

  it('delete-org asks with cf wording and does nothing when the answer is no', async () => {
    await loggedIn();
    const prompter = new ScriptedPrompter(true, ['n']);
    await expect(wharf(['delete-org', 'wharf'], prompter)).resolves.toMatchObject({ code: 0 });
    expect(prompter.asked).toEqual([
      'Really delete the org wharf, including its spaces, apps, service instances, routes, private domains and space-scoped service brokers?',
    ]);
    expect(server.requests).toHaveLength(0);
  });

  it('delete-space waits for the job and untargets the deleted space', async () => {
    await loggedIn({ org: ORG, space: SPACE });
    let polls = 0;
    server
      .on('GET', '/v3/spaces', (_r, b) => page(b, [SPACE], null))
      .on('DELETE', `/v3/spaces/${SPACE.guid}`, (_r, b) => ({
        status: 202,
        headers: { location: `${b}/v3/jobs/job-1` },
      }))
      .on('GET', '/v3/jobs/job-1', () => ({
        status: 200,
        body: { guid: 'job-1', state: ++polls < 2 ? 'PROCESSING' : 'COMPLETE', errors: [] },
      }));
    const { code, out } = await wharf(['delete-space', 'dev', '-f']);
    expect(code).toBe(0);
    expect(out).toBe(
      "Deleting space dev in org wharf as admin...\nOK\n\nTIP: No space targeted, use 'wharf target -s' to target a space.\n",
    );
    expect(polls).toBe(2);
    const after = await store.load();
    expect(after.space).toBeUndefined();
    expect(after.org).toEqual(ORG);
  });

  it('delete-org reports a FAILED job with its detail', async () => {
    await loggedIn();
    server
      .on('GET', '/v3/organizations', (_r, b) => page(b, [ORG], null))
      .on('DELETE', `/v3/organizations/${ORG.guid}`, (_r, b) => ({
        status: 202,
        headers: { location: `${b}/v3/jobs/job-2` },
      }))
      .on('GET', '/v3/jobs/job-2', () => ({
        status: 200,
        body: {
          guid: 'job-2',
          state: 'FAILED',
          errors: [{ code: 10006, title: 'CF-AssociationNotEmpty', detail: 'Org has spaces' }],
        },
      }));
    await expect(wharf(['delete-org', 'wharf', '-f'])).resolves.toMatchObject({
      code: 1,
      err: 'Org has spaces\nFAILED\n',
    });
  });

  it('curl prints the body pretty-printed and exits 0 even on a 4xx (22 with --fail)', async () => {
    await loggedIn();
    server.on('GET', '/v3/apps/missing', () =>
      cfError(404, 10010, 'CF-ResourceNotFound', 'App not found'),
    );
    const { code, out } = await wharf(['curl', '/v3/apps/missing']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({
      errors: [{ code: 10010, title: 'CF-ResourceNotFound', detail: 'App not found' }],
    });
    expect(out).toContain('\n  "errors": [\n');
    await expect(wharf(['curl', '/v3/apps/missing', '--fail'])).resolves.toMatchObject({
      code: 22,
    });
  });

  it('curl sends method, body and headers, and -i shows the status line', async () => {
    await loggedIn();
    server.on('PATCH', '/v3/organizations/o1', (req) => ({
      status: 200,
      body: { echoed: JSON.parse(req.body) as unknown, header: req.headers['x-trace'] },
    }));
    const { code, out } = await wharf([
      'curl',
      '/v3/organizations/o1',
      '-X',
      'patch',
      '-d',
      '{"name":"renamed"}',
      '-H',
      'X-Trace: abc',
      '-i',
    ]);
    expect(code).toBe(0);
    expect(out.startsWith('HTTP/1.1 200 OK\n')).toBe(true);
    expect(out).toContain('"echoed": {\n    "name": "renamed"\n  }');
    const sent = server.requests.at(-1);
    expect(sent?.headers.authorization).toBe('bearer token');
    expect(sent?.headers['content-type']).toBe('application/json');
  });

  it('curl fails (exit 1) only when no answer comes', async () => {
    await loggedIn();
    await server.stop();
    const { code, err } = await wharf(['curl', '/v3/organizations']);
    expect(code).toBe(1);
    expect(err).toMatch(/^Request error: GET .*ECONNREFUSED[\s\S]*FAILED\n$/);
  });

  it('oauth-token refreshes an expired token first and prints it', async () => {
    await loggedIn({ tokenExpiresAt: '2000-01-01T00:00:00.000Z' });
    server.on('POST', '/oauth/token', () => ({
      status: 200,
      body: { access_token: 'renewed', refresh_token: 'r2', expires_in: 599, token_type: 'bearer' },
    }));
    const { code, out } = await wharf(['oauth-token']);
    expect(code).toBe(0);
    expect(out).toBe('bearer renewed\n');
    await expect(store.load()).resolves.toMatchObject({
      accessToken: 'renewed',
      refreshToken: 'r2',
    });
  });

  it('api URL checks the root document; a changed endpoint drops the old session', async () => {
    await loggedIn({ target: 'http://old.example', org: ORG });
    const { code, out } = await wharf(['api', `${base}/`]);
    expect(code).toBe(0);
    expect(out).toBe(
      `Setting API endpoint to ${base}...\n\nOK\n\nAPI endpoint:   ${base}\nAPI version:    3.180.0\n\nNot logged in. Use 'wharf login' to log in.\n`,
    );
    await expect(store.load()).resolves.toEqual({ target: base });

    server.on('GET', '/', () => ({ status: 200, body: '<html>' }));
    await expect(wharf(['api', `${base}/elsewhere`])).resolves.toMatchObject({
      code: 1,
      err: `API endpoint not found at '${base}/elsewhere'\nFAILED\n`,
    });
  });

  it('logout keeps the endpoint, forgets the session and revokes the refresh token', async () => {
    await loggedIn({ org: ORG, space: SPACE });
    server.on('POST', '/oauth/revoke', () => ({ status: 200, body: {} }));
    const { code, out } = await wharf(['logout']);
    expect(code).toBe(0);
    expect(out).toBe('Logging out admin...\n\nOK\n');
    await expect(store.load()).resolves.toEqual({ target: base });
    expect(new URLSearchParams(server.requests.at(-1)?.body).get('token')).toBe('refresh');
  });

  it('unknown commands are usage errors with a non-zero exit', async () => {
    const { code, err } = await wharf(['orgz']);
    expect(code).toBe(1);
    expect(err).toContain("unknown command 'orgz'");
    // `org` and `orgs` are both one letter away.
    expect(err).toContain('(Did you mean one of org, orgs?)');
  });
});
