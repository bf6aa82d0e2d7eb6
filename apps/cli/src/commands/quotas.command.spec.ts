import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliContext } from '../cli.context';
import { buildProgram } from '../cli.program';
import { type CliConfig, CliConfigStore } from '../config/cli-config.store';
import { Capture, runWharf, ScriptedPrompter } from '../testing/cli-harness';
import { FakeApiServer, cfError, page, type RecordedRequest } from '../testing/fake-api.server';
import { TerminalUi } from '../ui/terminal.ui';

const ORG = { guid: 'org-1', name: 'wharf' };
const SPACE = { guid: 'space-1', name: 'dev' };

const quota = (guid: string, name: string, memory: number | null, paid: boolean) => ({
  guid,
  name,
  apps: { total_memory_in_mb: memory, per_process_memory_in_mb: 512, total_instances: null },
  services: { paid_services_allowed: paid, total_service_instances: 10 },
  routes: { total_routes: 7 },
});
const SMALL = quota('q-small', 'small', 2048, false);
const BIG = quota('q-big', 'big', null, true);

/** What one family of quota commands says and sends; the cases below run for both. */
interface Family {
  scope: string;
  path: string;
  prefix: string;
  config: CliConfig;
  /** The list filter every lookup sends besides the name. */
  lookup: Record<string, string>;
  forOrg: string;
  list: { command: string; alias?: string; none: string };
  notFound: string;
  createExtra: Record<string, unknown>;
  taken: string;
  /** What a create with a bad flag says before failing. */
  badFlagOut: string;
  set: { command: string; target: string; relationship: string; path: string; say: string };
  missingTarget: string;
}

const FAMILIES: Family[] = [
  {
    scope: 'org',
    path: '/v3/organization_quotas',
    prefix: 'org',
    config: {},
    lookup: {},
    forOrg: '',
    list: { command: 'org-quotas', alias: 'quotas', none: 'No organization quotas found.' },
    notFound: 'Organization quota',
    createExtra: {},
    taken: "Organization Quota 'small' already exists",
    badFlagOut: '',
    set: {
      command: 'set-org-quota',
      target: 'wharf',
      relationship: 'organizations',
      path: '/v3/organizations',
      say: 'Setting quota small to org wharf as admin...',
    },
    missingTarget: "Organization 'nope' not found.",
  },
  {
    scope: 'space',
    path: '/v3/space_quotas',
    prefix: 'space',
    config: { org: ORG },
    lookup: { organization_guids: ORG.guid },
    forOrg: ' for org wharf',
    list: { command: 'space-quotas', none: 'No space quotas found.' },
    notFound: 'Space quota',
    createExtra: { relationships: { organization: { data: { guid: ORG.guid } } } },
    taken: "Space Quota 'small' already exists",
    badFlagOut: 'Creating space quota small for org wharf as admin...\n',
    set: {
      command: 'set-space-quota',
      target: 'dev',
      relationship: 'spaces',
      path: '/v3/spaces',
      say: 'Setting space quota small to space dev as admin...',
    },
    missingTarget: "Space 'nope' not found.",
  },
];

describe('quota commands against a fake CF API', () => {
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

  async function wharf(args: string[], answers: string[] | null = null) {
    const prompter = new ScriptedPrompter(answers !== null, answers ?? []);
    return { ...(await runWharf(store, args, prompter)), asked: prompter.asked };
  }

  const loggedIn = (extra: CliConfig): Promise<void> =>
    store.save({
      target: base,
      accessToken: 'token',
      refreshToken: 'refresh',
      tokenExpiresAt: '2999-01-01T00:00:00.000Z',
      user: 'admin',
      ...extra,
    });

  /** The quotas endpoint of a family, answering name lookups from `quotas`. */
  const serve = (f: Family, quotas: unknown[]) =>
    server.on('GET', f.path, (req, b) => {
      const names = req.query.get('names');
      const found = (quotas as { name: string }[]).filter((q) => !names || q.name === names);
      return page(b, found, null);
    });

  const sent = (method: string, path: string | RegExp) =>
    server.requests
      .filter(
        (r) =>
          r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)),
      )
      .map((r: RecordedRequest) => ({
        path: r.path,
        query: Object.fromEntries(r.query),
        body: r.body ? (JSON.parse(r.body) as unknown) : undefined,
      }));

  it('registers the commands, aliases, arguments and options cf has', () => {
    const ctx = new CliContext({
      store,
      ui: new TerminalUi(new Capture(), new Capture()),
      prompter: new ScriptedPrompter(false),
      version: '0.1.0',
      jobPollIntervalMs: 1,
    });
    const described = buildProgram(ctx)
      .commands.filter((c) => /quota/.test(c.name()))
      .map((c) =>
        [
          c.name(),
          c.aliases().join(','),
          c.description(),
          c.registeredArguments.map((a) => `${a.name()}: ${a.description}`).join('; '),
          c.options.map((o) => `${o.flags}: ${o.description}`).join('; '),
        ].join(' | '),
      );
    expect(described).toEqual([
      'org-quotas | quotas | List available organization quotas |  | ',
      'org-quota | quota | Show organization quota | quota: Quota name | ',
      'create-org-quota | create-quota | Define a new quota for an organization | quota: Quota name | -m, --total-memory <memory>: Total amount of memory all processes can have (e.g. 1024M, 1G, 10G); -1 for unlimited; -i, --instance-memory <memory>: Maximum amount of memory a process can have (e.g. 1024M, 1G); -1 for unlimited; -a, --app-instances <count>: Total number of app instances; -1 for unlimited; -s, --service-instances <count>: Total number of service instances; -1 for unlimited; -r, --routes <count>: Total number of routes; -1 for unlimited; --allow-paid-service-plans: Allow provisioning instances of paid service plans; --disallow-paid-service-plans: Disallow provisioning instances of paid service plans',
      'update-org-quota | update-quota | Update an existing organization quota | quota: Quota name | -m, --total-memory <memory>: Total amount of memory all processes can have (e.g. 1024M, 1G, 10G); -1 for unlimited; -i, --instance-memory <memory>: Maximum amount of memory a process can have (e.g. 1024M, 1G); -1 for unlimited; -a, --app-instances <count>: Total number of app instances; -1 for unlimited; -s, --service-instances <count>: Total number of service instances; -1 for unlimited; -r, --routes <count>: Total number of routes; -1 for unlimited; --allow-paid-service-plans: Allow provisioning instances of paid service plans; --disallow-paid-service-plans: Disallow provisioning instances of paid service plans; -n, --name <name>: New name',
      'delete-org-quota | delete-quota | Delete an organization quota | quota: Quota name | -f, --force: Force deletion without confirmation',
      'set-org-quota | set-quota | Assign a quota to an organization | org: Org name; quota: Quota name | ',
      'space-quotas |  | List available space quotas in the targeted org |  | ',
      'space-quota |  | Show space quota | quota: Space quota name | ',
      'create-space-quota |  | Define a new quota for a space in the targeted org | quota: Space quota name | -m, --total-memory <memory>: Total amount of memory all processes can have (e.g. 1024M, 1G, 10G); -1 for unlimited; -i, --instance-memory <memory>: Maximum amount of memory a process can have (e.g. 1024M, 1G); -1 for unlimited; -a, --app-instances <count>: Total number of app instances; -1 for unlimited; -s, --service-instances <count>: Total number of service instances; -1 for unlimited; -r, --routes <count>: Total number of routes; -1 for unlimited; --allow-paid-service-plans: Allow provisioning instances of paid service plans; --disallow-paid-service-plans: Disallow provisioning instances of paid service plans',
      'update-space-quota |  | Update an existing space quota | quota: Space quota name | -m, --total-memory <memory>: Total amount of memory all processes can have (e.g. 1024M, 1G, 10G); -1 for unlimited; -i, --instance-memory <memory>: Maximum amount of memory a process can have (e.g. 1024M, 1G); -1 for unlimited; -a, --app-instances <count>: Total number of app instances; -1 for unlimited; -s, --service-instances <count>: Total number of service instances; -1 for unlimited; -r, --routes <count>: Total number of routes; -1 for unlimited; --allow-paid-service-plans: Allow provisioning instances of paid service plans; --disallow-paid-service-plans: Disallow provisioning instances of paid service plans; -n, --name <name>: New name',
      'delete-space-quota |  | Delete a space quota | quota: Space quota name | -f, --force: Force deletion without confirmation',
      'set-space-quota |  | Apply a space quota to a space | space: Space name; quota: Space quota name | ',
      'unset-space-quota |  | Unassign a quota from a space | space: Space name; quota: Space quota name | ',
    ]);
  });

  describe.each(FAMILIES)('$scope quotas', (f) => {
    beforeEach(() => loggedIn(f.config));

    it('lists them sorted by name as a table, or says there are none', async () => {
      serve(f, [SMALL, BIG]);
      const listed = await wharf([f.list.command]);
      expect(listed).toMatchObject({ code: 0, err: '' });
      expect(listed.out).toBe(
        `Getting ${f.prefix} quotas${f.forOrg} as admin...\n\n` +
          'name    total memory   instance memory   routes   service instances   paid service plans   app instances\n' +
          'big     unlimited      512M              7        10                  allowed              unlimited\n' +
          'small   2G             512M              7        10                  disallowed           unlimited\n',
      );
      expect(sent('GET', f.path)).toEqual([{ path: f.path, query: f.lookup, body: undefined }]);
      serve(f, []);
      const none = await wharf([f.list.alias ?? f.list.command]);
      expect(none.out).toBe(
        `Getting ${f.prefix} quotas${f.forOrg} as admin...\n\n${f.list.none}\n`,
      );
    });

    it('shows one by name, and fails naming one that is not there', async () => {
      serve(f, [SMALL, BIG]);
      const shown = await wharf([`${f.prefix}-quota`, 'small']);
      expect(shown).toMatchObject({ code: 0, err: '' });
      expect(shown.out).toBe(
        `Getting ${f.prefix} quota small${f.forOrg} as admin...\n\n` +
          'total memory:        2G\n' +
          'instance memory:     512M\n' +
          'routes:              7\n' +
          'service instances:   10\n' +
          'paid service plans:  disallowed\n' +
          'app instances:       unlimited\n',
      );
      expect(sent('GET', f.path)).toEqual([
        { path: f.path, query: { names: 'small', ...f.lookup }, body: undefined },
      ]);
      await expect(wharf([`${f.prefix}-quota`, 'nope'])).resolves.toMatchObject({
        code: 1,
        err: `${f.notFound} with name 'nope' not found.\nFAILED\n`,
      });
    });

    it('creates one with only the limits given, and warns when the name is taken', async () => {
      server.on('POST', f.path, () => ({ status: 201, body: SMALL }));
      const created = await wharf([
        `create-${f.prefix}-quota`,
        'small',
        '-m',
        '1G',
        '-i',
        '512M',
        '-a',
        '-1',
        '-r',
        '7',
        '--disallow-paid-service-plans',
      ]);
      expect(created).toMatchObject({ code: 0, err: '' });
      expect(created.out).toBe(`Creating ${f.prefix} quota small${f.forOrg} as admin...\nOK\n`);
      expect(sent('POST', f.path)).toEqual([
        {
          path: f.path,
          query: {},
          body: {
            name: 'small',
            apps: {
              total_memory_in_mb: 1024,
              per_process_memory_in_mb: 512,
              total_instances: null,
            },
            services: { paid_services_allowed: false },
            routes: { total_routes: 7 },
            ...f.createExtra,
          },
        },
      ]);
      server.on('POST', f.path, () => cfError(422, 10008, 'CF-UnprocessableEntity', `${f.taken}.`));
      await expect(wharf([`create-${f.prefix}-quota`, 'small', '-s', '3'])).resolves.toEqual({
        code: 0,
        out: `Creating ${f.prefix} quota small${f.forOrg} as admin...\nOK\n`,
        err: `${f.taken}\n`,
        asked: [],
      });
      const bad = await wharf([`create-${f.prefix}-quota`, 'small', '-m', '12', '-a', 'x']);
      expect(bad).toMatchObject({
        code: 1,
        out: f.badFlagOut,
        err: "Incorrect Usage: -m takes a size with a unit (M, G, …), e.g. 1G, or -1 for unlimited; got '12'.\nFAILED\n",
      });
      const badCount = await wharf([`create-${f.prefix}-quota`, 'small', '-a', 'x']);
      expect(badCount.err).toBe(
        "Incorrect Usage: -a takes a whole number, or -1 for unlimited; got 'x'.\nFAILED\n",
      );
      expect(sent('POST', f.path)).toHaveLength(2);
    });

    it('updates one found by name, renaming it with -n', async () => {
      serve(f, [SMALL]);
      server.on('PATCH', `${f.path}/${SMALL.guid}`, () => ({ status: 200, body: SMALL }));
      const updated = await wharf([
        `update-${f.prefix}-quota`,
        'small',
        '-n',
        'smaller',
        '-m',
        '-1',
        '-s',
        '2',
        '--allow-paid-service-plans',
      ]);
      expect(updated).toMatchObject({ code: 0, err: '' });
      expect(updated.out).toBe(`Updating ${f.prefix} quota small${f.forOrg} as admin...\nOK\n`);
      expect(sent('PATCH', /./)).toEqual([
        {
          path: `${f.path}/${SMALL.guid}`,
          query: {},
          body: {
            name: 'smaller',
            apps: { total_memory_in_mb: null },
            services: { total_service_instances: 2, paid_services_allowed: true },
          },
        },
      ]);
      await expect(wharf([`update-${f.prefix}-quota`, 'nope', '-r', '1'])).resolves.toMatchObject({
        code: 1,
        err: `${f.notFound} with name 'nope' not found.\nFAILED\n`,
      });
    });

    it('deletes one after confirmation and waits for the job; a missing one only warns', async () => {
      serve(f, [SMALL]);
      server
        .on('DELETE', `${f.path}/${SMALL.guid}`, (_r, b) => ({
          status: 202,
          headers: { location: `${b}/v3/jobs/job-1` },
        }))
        .on('GET', '/v3/jobs/job-1', () => ({
          status: 200,
          body: { guid: 'job-1', state: 'COMPLETE', errors: [] },
        }));
      const question = `Really delete the ${f.prefix} quota small?`;
      await expect(wharf([`delete-${f.prefix}-quota`, 'small'], ['n'])).resolves.toEqual({
        code: 0,
        out: 'Delete cancelled\n',
        err: '',
        asked: [question],
      });
      await expect(wharf([`delete-${f.prefix}-quota`, 'small'])).resolves.toMatchObject({
        code: 1,
        err: 'Cannot ask for confirmation: stdin is not a terminal. Use -f to skip confirmation.\nFAILED\n',
      });
      expect(server.count('DELETE', `${f.path}/${SMALL.guid}`)).toBe(0);
      await expect(wharf([`delete-${f.prefix}-quota`, 'small'], ['y'])).resolves.toEqual({
        code: 0,
        out: `Deleting ${f.prefix} quota small${f.forOrg} as admin...\nOK\n`,
        err: '',
        asked: [question],
      });
      expect(server.count('DELETE', `${f.path}/${SMALL.guid}`)).toBe(1);
      expect(server.count('GET', '/v3/jobs/job-1')).toBe(1);
      expect(sent('GET', f.path).at(-1)?.query).toEqual({ names: 'small', ...f.lookup });
      await expect(wharf([`delete-${f.prefix}-quota`, 'nope', '-f'])).resolves.toEqual({
        code: 0,
        out: `Deleting ${f.prefix} quota nope${f.forOrg} as admin...\nOK\n`,
        err: `${f.notFound} with name 'nope' not found.\n`,
        asked: [],
      });
    });

    it('applies one to a target found by name', async () => {
      serve(f, [SMALL]);
      const target = { guid: 't-1', name: f.set.target };
      server
        .on('GET', f.set.path, (req, b) =>
          page(b, req.query.get('names') === target.name ? [target] : [], null),
        )
        .on('POST', `${f.path}/${SMALL.guid}/relationships/${f.set.relationship}`, () => ({
          status: 200,
          body: { data: [{ guid: target.guid }] },
        }));
      await expect(wharf([f.set.command, target.name, 'small'])).resolves.toEqual({
        code: 0,
        out: `${f.set.say}\nOK\n`,
        err: '',
        asked: [],
      });
      expect(sent('POST', /relationships/)).toEqual([
        {
          path: `${f.path}/${SMALL.guid}/relationships/${f.set.relationship}`,
          query: {},
          body: { data: [{ guid: target.guid }] },
        },
      ]);
      expect(sent('GET', f.set.path)[0]?.query).toEqual({ names: target.name, ...f.lookup });
      await expect(wharf([f.set.command, 'nope', 'small'])).resolves.toMatchObject({
        code: 1,
        err: `${f.missingTarget}\nFAILED\n`,
      });
      await expect(wharf([f.set.command, target.name, 'nope'])).resolves.toMatchObject({
        code: 1,
        err: `${f.notFound} with name 'nope' not found.\nFAILED\n`,
      });
      expect(sent('POST', /relationships/)).toHaveLength(1);
    });
  });

  describe('space quotas only', () => {
    it('unset-space-quota removes the quota from the space', async () => {
      await loggedIn({ org: ORG });
      serve(FAMILIES[1] as Family, [SMALL]);
      server
        .on('GET', '/v3/spaces', (req, b) =>
          page(b, req.query.get('names') === SPACE.name ? [SPACE] : [], null),
        )
        .on('DELETE', `/v3/space_quotas/${SMALL.guid}/relationships/spaces/${SPACE.guid}`, () => ({
          status: 204,
        }));
      await expect(wharf(['unset-space-quota', 'dev', 'small'])).resolves.toEqual({
        code: 0,
        out: 'Unassigning space quota small from space dev as admin...\nOK\n',
        err: '',
        asked: [],
      });
      expect(
        server.count('DELETE', `/v3/space_quotas/${SMALL.guid}/relationships/spaces/${SPACE.guid}`),
      ).toBe(1);
      await expect(wharf(['unset-space-quota', 'nope', 'small'])).resolves.toMatchObject({
        code: 1,
        err: "Space 'nope' not found.\nFAILED\n",
      });
    });

    it('need a targeted org', async () => {
      await loggedIn({});
      for (const args of [
        ['space-quotas'],
        ['space-quota', 'small'],
        ['create-space-quota', 'small'],
        ['update-space-quota', 'small'],
        ['delete-space-quota', 'small', '-f'],
        ['set-space-quota', 'dev', 'small'],
        ['unset-space-quota', 'dev', 'small'],
      ]) {
        const res = await wharf(args);
        expect(res.code).toBe(1);
        expect(res.err).toMatch(/org/i);
      }
      expect(server.requests.filter((r) => r.path.startsWith('/v3/space'))).toEqual([]);
    });
  });
});
