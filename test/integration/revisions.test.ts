import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type {
  AppFeatureResource,
  AuditEventResource,
  ListResponse,
  ProcessResource,
  RevisionEnvironmentVariablesResource,
  RevisionResource,
} from '@wharf/contracts';
import { startTestPlatform, TestPlatform } from '../support/test-platform';

jest.setTimeout(60_000);

type Guided = { guid: string };
type CfErrors = { errors: { code: number; title: string; detail: string }[] };

let platform: TestPlatform;
const tokens: Record<string, string> = {};
let space: Guided;
let app: Guided;

async function call<T>(who: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${platform.url}${path}`, {
    method,
    headers: {
      authorization: `bearer ${tokens[who] ?? ''}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

async function as<T>(who: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await call<T>(who, method, path, body);
  if (res.status >= 300)
    throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

const guidOf = (token: string): string =>
  (
    JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
      user_id: string;
    }
  ).user_id;

/** A STAGED droplet row of the app, made the current one through the API (no staging needed). */
async function newDroplet(): Promise<string> {
  const guid = randomUUID();
  await platform.api.get(DataSource).query(
    `INSERT INTO droplets (guid, app_guid, package_guid, build_guid, state, process_types,
       checksum_sha256, size_bytes, stack, image)
     VALUES ($1, $2, $3, $4, 'STAGED', '{"web":"node server.js"}', 'x', 1, 'bookworm', 'none')`,
    [guid, app.guid, randomUUID(), randomUUID()],
  );
  await as('admin', 'PATCH', `/v3/apps/${app.guid}/relationships/current_droplet`, {
    data: { guid },
  });
  return guid;
}

const revisions = (query = '') =>
  as<ListResponse<RevisionResource>>('admin', 'GET', `/v3/apps/${app.guid}/revisions${query}`);
const deployed = () =>
  as<ListResponse<RevisionResource>>('admin', 'GET', `/v3/apps/${app.guid}/revisions/deployed`);
const restart = () => as('admin', 'POST', `/v3/apps/${app.guid}/actions/restart`);

beforeAll(async () => {
  platform = await startTestPlatform();
  tokens.admin = await platform.login('admin', { admin: true });
  const org = await as<Guided>('admin', 'POST', '/v3/organizations', { name: 'rev-org' });
  space = await as<Guided>('admin', 'POST', '/v3/spaces', {
    name: 'rev-space',
    relationships: { organization: { data: { guid: org.guid } } },
  });
  for (const who of ['auditor', 'outsider']) tokens[who] = await platform.login(who);
  for (const type of ['organization_user', 'space_auditor']) {
    const target =
      type === 'organization_user'
        ? { organization: { data: { guid: org.guid } } }
        : { space: { data: { guid: space.guid } } };
    await as('admin', 'POST', '/v3/roles', {
      type,
      relationships: { user: { data: { guid: guidOf(tokens.auditor ?? '') } }, ...target },
    });
  }
  app = await as<Guided>('admin', 'POST', '/v3/apps', {
    name: 'rev-app',
    relationships: { space: { data: { guid: space.guid } } },
  });
});

afterAll(async () => {
  await platform?.close();
});

describe('app revisions', () => {
  let first: RevisionResource;
  let firstDroplet: string;

  it('records the initial revision at the first start, and the web process runs it', async () => {
    expect((await revisions()).resources).toEqual([]);
    firstDroplet = await newDroplet();
    await as('admin', 'POST', `/v3/apps/${app.guid}/actions/start`);
    const list = await revisions();
    expect(list.pagination.total_results).toBe(1);
    first = list.resources[0] as RevisionResource;
    expect(first).toMatchObject({
      version: 1,
      description: 'Initial revision.',
      droplet: { guid: firstDroplet },
      processes: { web: { command: null } },
      sidecars: [],
      deployable: true,
      relationships: { app: { data: { guid: app.guid } } },
      metadata: { labels: {}, annotations: {} },
    });
    expect(first.links.environment_variables?.href).toMatch(
      new RegExp(`/v3/revisions/${first.guid}/environment_variables$`),
    );
    expect((await deployed()).resources.map((r) => r.guid)).toEqual([first.guid]);
    const web = await as<ProcessResource>('admin', 'GET', `/v3/apps/${app.guid}/processes/web`);
    expect(web.relationships.revision).toEqual({ data: { guid: first.guid } });
    expect(await as('admin', 'GET', `/v3/revisions/${first.guid}`)).toEqual(first);
  });

  it('makes none for a start of a started app or a restart that changes nothing', async () => {
    await as('admin', 'POST', `/v3/apps/${app.guid}/actions/start`);
    await restart();
    expect((await revisions()).pagination.total_results).toBe(1);
  });

  it('describes what changed: variables, then a droplet and a custom command together', async () => {
    await as('admin', 'PATCH', `/v3/apps/${app.guid}/environment_variables`, {
      var: { GREETING: 'hello' },
    });
    await restart();
    const second = (await revisions('?versions=2')).resources[0];
    expect(second?.description).toBe('New environment variables deployed.');
    const vars = await as<RevisionEnvironmentVariablesResource>(
      'admin',
      'GET',
      `/v3/revisions/${second?.guid ?? ''}/environment_variables`,
    );
    expect(vars.var).toEqual({ GREETING: 'hello' });
    expect(
      (
        await as<RevisionEnvironmentVariablesResource>(
          'admin',
          'GET',
          `/v3/revisions/${first.guid}/environment_variables`,
        )
      ).var,
    ).toEqual({});

    await newDroplet();
    const web = await as<ProcessResource>('admin', 'GET', `/v3/apps/${app.guid}/processes/web`);
    await as('admin', 'PATCH', `/v3/processes/${web.guid}`, { command: 'node other.js' });
    await restart();
    const third = (await revisions('?order_by=-created_at')).resources[0];
    expect(third).toMatchObject({
      version: 3,
      description: "Custom start command added for 'web' process. New droplet deployed.",
      processes: { web: { command: 'node other.js' } },
    });
    expect((await deployed()).resources.map((r) => r.version)).toEqual([3]);
    expect((await revisions('?versions=1,3')).resources.map((r) => r.version)).toEqual([1, 3]);
  });

  it('refuses a malformed versions filter with CF-BadQueryParameter', async () => {
    const res = await call<CfErrors>('admin', 'GET', `/v3/apps/${app.guid}/revisions?versions=x`);
    expect(res.status).toBe(400);
    expect(res.body.errors[0]?.title).toBe('CF-BadQueryParameter');
  });

  it("shows revisions to the space's readers, their variables only to developers", async () => {
    const listed = await call<ListResponse<RevisionResource>>(
      'auditor',
      'GET',
      `/v3/apps/${app.guid}/revisions`,
    );
    expect(listed.status).toBe(200);
    expect(listed.body.pagination.total_results).toBe(3);
    const vars = await call<CfErrors>(
      'auditor',
      'GET',
      `/v3/revisions/${first.guid}/environment_variables`,
    );
    expect(vars.status).toBe(403);
    expect(vars.body.errors[0]?.title).toBe('CF-NotAuthorized');
    const patched = await call<CfErrors>('auditor', 'PATCH', `/v3/revisions/${first.guid}`, {
      metadata: { labels: { env: 'prod' } },
    });
    expect(patched.status).toBe(403);
    for (const path of [`/v3/revisions/${first.guid}`, `/v3/apps/${app.guid}/revisions`]) {
      const hidden = await call<CfErrors>('outsider', 'GET', path);
      expect(hidden.status).toBe(404);
    }
  });

  it('labels a revision; one whose droplet is gone is not deployable', async () => {
    const labelled = await as<RevisionResource>('admin', 'PATCH', `/v3/revisions/${first.guid}`, {
      metadata: { labels: { release: 'first' } },
    });
    expect(labelled.metadata.labels).toEqual({ release: 'first' });
    const bad = await call<CfErrors>('admin', 'PATCH', `/v3/revisions/${first.guid}`, {
      description: 'rewritten',
    });
    expect(bad.status).toBe(422);
    await platform.api
      .get(DataSource)
      .query('DELETE FROM droplets WHERE guid = $1', [firstDroplet]);
    expect(
      (await as<RevisionResource>('admin', 'GET', `/v3/revisions/${first.guid}`)).deployable,
    ).toBe(false);
  });

  it('deploys none while the app is stopped', async () => {
    await as('admin', 'POST', `/v3/apps/${app.guid}/actions/stop`);
    expect((await deployed()).resources).toEqual([]);
    await as('admin', 'POST', `/v3/apps/${app.guid}/actions/start`);
    expect((await deployed()).resources.map((r) => r.version)).toEqual([3]);
  });

  it('records nothing once the revisions feature is off', async () => {
    const features = await as<ListResponse<AppFeatureResource>>(
      'admin',
      'GET',
      `/v3/apps/${app.guid}/features`,
    );
    expect(features.resources).toEqual([
      { name: 'revisions', description: 'Enable versioning of an application', enabled: true },
    ]);
    const off = await as<AppFeatureResource>(
      'admin',
      'PATCH',
      `/v3/apps/${app.guid}/features/revisions`,
      { enabled: false },
    );
    expect(off.enabled).toBe(false);
    await as('admin', 'PATCH', `/v3/apps/${app.guid}/environment_variables`, {
      var: { GREETING: 'bye' },
    });
    await restart();
    expect((await revisions()).pagination.total_results).toBe(3);
    const unknown = await call<CfErrors>('admin', 'GET', `/v3/apps/${app.guid}/features/warp`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors[0]?.detail).toBe('Feature not found');
  });

  it('has an audit.app.revision.create event for each revision', async () => {
    const events = await as<ListResponse<AuditEventResource>>(
      'admin',
      'GET',
      `/v3/audit_events?target_guids=${app.guid}&types=audit.app.revision.create&per_page=10`,
    );
    expect(events.resources.map((e) => e.data.revision_version).sort()).toEqual([1, 2, 3]);
  });
});
