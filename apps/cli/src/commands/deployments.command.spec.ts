import { rm } from 'node:fs/promises';
import type { CliConfigStore } from '../config/cli-config.store';
import { loggedInStore, runWharf, ScriptedPrompter } from '../testing/cli-harness';
import { FakeApiServer, page } from '../testing/fake-api.server';

const WHERE = 'in org wharf / space dev as admin';

const deployment = (reason: string, value = 'ACTIVE', error?: string) => ({
  guid: 'dep-1',
  status: {
    value,
    reason,
    details: {
      last_successful_healthcheck: null,
      last_status_change: '2026-12-07T10:00:00Z',
      ...(error ? { error } : {}),
    },
  },
  strategy: 'rolling',
  options: { max_in_flight: 1 },
});

describe('wharf deployment commands against a fake CF API', () => {
  let server: FakeApiServer;
  let home: string;
  let store: CliConfigStore;

  beforeEach(async () => {
    server = new FakeApiServer().withRoot('3.180.0');
    const base = await server.start();
    ({ store, home } = await loggedInStore(base));
    server.on('GET', '/v3/apps', (_req, b) =>
      page(b, [{ guid: 'app-1', name: 'web', state: 'STARTED' }], null),
    );
  });

  afterEach(async () => {
    await server.stop();
    await rm(home, { recursive: true, force: true });
  });

  it('refuses --max-in-flight without --strategy, a bad strategy and --no-start with one', async () => {
    const cases: [string[], string][] = [
      [
        ['push', 'web', '--max-in-flight', '2'],
        '--max-in-flight must be used in combination with --strategy flag.',
      ],
      [['push', 'web', '--strategy', 'blue-green'], "Invalid value 'blue-green' for --strategy"],
      [
        ['push', 'web', '--strategy', 'rolling', '--max-in-flight', '0'],
        '--max-in-flight must be an integer greater than 0.',
      ],
      [
        ['push', 'web', '--strategy', 'rolling', '--no-start'],
        'cannot be used together: --no-start, --strategy',
      ],
      [
        ['restart', 'web', '--max-in-flight', '3'],
        '--max-in-flight must be used in combination with --strategy flag.',
      ],
    ];
    for (const [args, message] of cases) {
      const { code, err } = await runWharf(store, args);
      expect(code).toBe(1);
      expect(err).toContain(message);
    }
    expect(server.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('restart --strategy rolling creates a deployment of the current droplet and follows it', async () => {
    let polls = 0;
    server
      .on('POST', '/v3/deployments', () => ({ status: 201, body: deployment('DEPLOYING') }))
      .on('GET', '/v3/deployments/dep-1', () => ({
        status: 200,
        body: ++polls < 2 ? deployment('DEPLOYING') : deployment('DEPLOYED', 'FINALIZED'),
      }))
      .on('GET', '/v3/deployments', (_req, b) => page(b, [], null))
      .on('GET', '/v3/apps/app-1', () => ({
        status: 200,
        body: {
          guid: 'app-1',
          name: 'web',
          state: 'STARTED',
          lifecycle: { data: { buildpacks: [] } },
        },
      }))
      .on('GET', '/v3/apps/app-1/droplets/current', () => ({ status: 404, body: { errors: [] } }))
      .on('GET', '/v3/apps/app-1/processes', (_req, b) => page(b, [], null))
      .on('GET', '/v3/apps/app-1/routes', (_req, b) => page(b, [], null));
    const { code, out } = await runWharf(store, [
      'restart',
      'web',
      '--strategy',
      'rolling',
      '--max-in-flight',
      '2',
    ]);
    expect(code).toBe(0);
    expect(out).toContain(`Restarting app web ${WHERE}...`);
    expect(out).toContain('Creating deployment for app web...');
    expect(out).toContain('Waiting for app to deploy...');
    const created = server.requests.find((r) => r.method === 'POST');
    expect(JSON.parse(created?.body ?? '{}')).toEqual({
      relationships: { app: { data: { guid: 'app-1' } } },
      strategy: 'rolling',
      options: { max_in_flight: 2 },
    });
    expect(server.requests.some((r) => r.path.endsWith('/actions/restart'))).toBe(false);
  });

  it('fails with the reason when the platform cancels the deployment', async () => {
    server
      .on('POST', '/v3/deployments', () => ({ status: 201, body: deployment('DEPLOYING') }))
      .on('GET', '/v3/deployments/dep-1', () => ({
        status: 200,
        body: deployment(
          'CANCELED',
          'FINALIZED',
          "Instance 0 of process type 'web' of the new version failed: APP/PROC/WEB: Exited with status 3",
        ),
      }));
    const { code, err } = await runWharf(store, ['restart', 'web', '--strategy', 'canary']);
    expect(code).toBe(1);
    expect(err).toContain(
      "The deployment of app web was canceled: Instance 0 of process type 'web' of the new version failed: APP/PROC/WEB: Exited with status 3. The app keeps running its previous version.",
    );
  });

  it('rollback asks first, names the revision and deploys it; no answer changes nothing', async () => {
    server
      .on('GET', '/v3/apps/app-1/revisions', (req, b) =>
        page(b, req.query.get('versions') === '2' ? [{ guid: 'rev-2', version: 2 }] : [], null),
      )
      .on('POST', '/v3/deployments', () => ({ status: 201, body: deployment('DEPLOYING') }))
      .on('GET', '/v3/deployments/dep-1', () => ({
        status: 200,
        body: deployment('DEPLOYED', 'FINALIZED'),
      }));
    const declined = new ScriptedPrompter(true, ['n']);
    const no = await runWharf(store, ['rollback', 'web', '--version', '2'], declined);
    expect(no.code).toBe(0);
    expect(declined.asked[0]).toBe(
      "Rolling 'web' back to revision '2' will create a new revision. The new revision will use the settings from revision '2'.\nAre you sure you want to continue?",
    );
    expect(no.out).toContain("App 'web' has not been rolled back to revision '2'.");
    expect(server.requests.some((r) => r.method === 'POST')).toBe(false);
    const yes = await runWharf(
      store,
      ['rollback', 'web', '--version', '2'],
      new ScriptedPrompter(true, ['y']),
    );
    expect(yes.code).toBe(0);
    expect(yes.out).toContain(`Rolling back to revision 2 for app web ${WHERE}...`);
    expect(yes.out).toMatch(/OK\n$/);
    const created = server.requests.find((r) => r.method === 'POST');
    expect(JSON.parse(created?.body ?? '{}')).toMatchObject({
      revision: { guid: 'rev-2' },
      strategy: 'rolling',
    });
    const missing = await runWharf(store, ['rollback', 'web', '--version', '7', '-f']);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("Revision '7' not found");
  });

  it('cancel-deployment cancels the active deployment, and says when there is none', async () => {
    let active = [deployment('DEPLOYING')];
    server
      .on('GET', '/v3/deployments', (req, b) => {
        expect(req.query.get('app_guids')).toBe('app-1');
        expect(req.query.get('status_values')).toBe('ACTIVE');
        return page(b, active, null);
      })
      .on('POST', '/v3/deployments/dep-1/actions/cancel', () => ({ status: 200 }));
    const ok = await runWharf(store, ['cancel-deployment', 'web']);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain(`Canceling deployment for app web ${WHERE}...`);
    expect(server.requests.some((r) => r.path === '/v3/deployments/dep-1/actions/cancel')).toBe(
      true,
    );
    active = [];
    const none = await runWharf(store, ['cancel-deployment', 'web']);
    expect(none.code).toBe(1);
    expect(none.err).toContain('No active deployment found for app web.');
  });
});
