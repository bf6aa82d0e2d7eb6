import { rm } from 'node:fs/promises';
import type { CliConfigStore } from '../config/cli-config.store';
import { loggedInStore, runWharf } from '../testing/cli-harness';
import { FakeApiServer, page } from '../testing/fake-api.server';

const revision = (version: number, description: string, deployable = true) => ({
  guid: `rev-${version}`,
  version,
  description,
  deployable,
  created_at: `2026-12-0${version}T10:00:00.123Z`,
});

describe('wharf revisions against a fake CF API', () => {
  let server: FakeApiServer;
  let home: string;
  let store: CliConfigStore;

  beforeEach(async () => {
    server = new FakeApiServer().withRoot('3.180.0');
    const base = await server.start();
    ({ store, home } = await loggedInStore(base));
  });

  afterEach(async () => {
    await server.stop();
    await rm(home, { recursive: true, force: true });
  });

  const wharf = (args: string[]) => runWharf(store, args);

  const serveApp = (state: string, enabled: boolean) =>
    server
      .on('GET', '/v3/apps', (_req, b) => page(b, [{ guid: 'app-1', name: 'web', state }], null))
      .on('GET', '/v3/apps/app-1/features/revisions', () => ({
        status: 200,
        body: { name: 'revisions', description: 'Enable versioning of an application', enabled },
      }));

  it('lists the revisions newest first, the deployed one marked, as cf does', async () => {
    serveApp('STARTED', true)
      .on('GET', '/v3/apps/app-1/revisions', (_req, b) =>
        page(
          b,
          [revision(2, 'New droplet deployed.'), revision(1, 'Initial revision.', false)],
          null,
        ),
      )
      .on('GET', '/v3/apps/app-1/revisions/deployed', (_req, b) =>
        page(b, [revision(2, 'New droplet deployed.')], null),
      );
    const r = await wharf(['revisions', 'web']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out.split('\n').map((l) => l.trimEnd())).toEqual([
      'Getting revisions for app web in org wharf / space dev as admin...',
      '',
      'revision      description             deployable   revision guid   created at',
      '2(deployed)   New droplet deployed.   true         rev-2           2026-12-02T10:00:00Z',
      '1             Initial revision.       false        rev-1           2026-12-01T10:00:00Z',
      '',
    ]);
    const listed = server.requests.find((q) => q.path === '/v3/apps/app-1/revisions');
    expect(listed?.query.get('order_by')).toBe('-created_at');
  });

  it('warns when revisions are off and says a stopped app has none deployed', async () => {
    serveApp('STOPPED', false).on('GET', '/v3/apps/app-1/revisions', (_req, b) =>
      page(b, [], null),
    );
    const r = await wharf(['revisions', 'web']);
    expect(r.code).toBe(0);
    expect(r.err).toBe(
      "Warning: Revisions for app 'web' are disabled. Updates to the app will not create new revisions.\n",
    );
    expect(r.out).toContain(
      'Info: this app is in a stopped state. It is not possible to determine which revision is currently deployed.\n',
    );
    expect(r.out).toMatch(/No revisions found\n$/);
  });
});
