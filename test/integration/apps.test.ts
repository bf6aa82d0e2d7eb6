import type {
  ErrorResponse,
  JobResource,
  ListResponse,
  OrganizationResource,
  SpaceResource,
} from '@wharf/contracts';
import { DataSource } from 'typeorm';
import { AppEnvironmentSealer } from '@wharf/apps';
import { startTestPlatform, TestPlatform } from '../support/test-platform';

jest.setTimeout(60_000);

interface App {
  guid: string;
  name: string;
  state: string;
  lifecycle: { type: string; data: { buildpacks?: string[]; stack?: string } };
  relationships: { space: { data: { guid: string } } };
  links: Record<string, { href: string }>;
}
interface Vars {
  var: Record<string, string>;
  links: Record<string, { href: string }>;
}

let platform: TestPlatform;
let admin: string;
let space: SpaceResource;

async function call<T>(method: string, path: string, body?: unknown, token = admin) {
  const res = await fetch(`${platform.url}${path}`, {
    method,
    headers: {
      authorization: `bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: (text ? JSON.parse(text) : undefined) as T,
  };
}

async function waitForJob(location: string | null): Promise<JobResource> {
  const path = new URL(location ?? '').pathname;
  for (let i = 0; i < 100; i++) {
    const { body } = await call<JobResource>('GET', path);
    if (body.state === 'COMPLETE' || body.state === 'FAILED') return body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${path} did not finish`);
}

const newApp = (name: string, extra: Record<string, unknown> = {}) =>
  call<App>('POST', '/v3/apps', {
    name,
    relationships: { space: { data: { guid: space.guid } } },
    ...extra,
  });

beforeAll(async () => {
  platform = await startTestPlatform();
  admin = await platform.login('admin', { admin: true });
  const org = (await call<OrganizationResource>('POST', '/v3/organizations', { name: 'apps-org' }))
    .body;
  space = (
    await call<SpaceResource>('POST', '/v3/spaces', {
      name: 'dev',
      relationships: { organization: { data: { guid: org.guid } } },
    })
  ).body;
});

afterAll(async () => {
  await platform?.close();
});

describe('/v3/apps', () => {
  it('creates a STOPPED buildpack app in a space, with CF shape', async () => {
    const res = await newApp('web', { environment_variables: { GREETING: 'hi' } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual(
      expect.objectContaining({
        name: 'web',
        state: 'STOPPED',
        lifecycle: { type: 'buildpack', data: { buildpacks: [], stack: 'bookworm' } },
        relationships: { space: { data: { guid: space.guid } } },
      }),
    );
    expect(res.body.links.self?.href).toBe(`${platform.url}/v3/apps/${res.body.guid}`);
    const vars = await call<Vars>('GET', `/v3/apps/${res.body.guid}/environment_variables`);
    expect(vars.body.var).toEqual({ GREETING: 'hi' });
  });

  it('refuses a duplicate name in the space, an unknown space and platform variable names', async () => {
    const dup = await newApp('web');
    expect(dup.status).toBe(422);
    expect((dup.body as unknown as ErrorResponse).errors[0]?.detail).toBe(
      "App with the name 'web' already exists.",
    );
    const nowhere = await call<ErrorResponse>('POST', '/v3/apps', {
      name: 'x',
      relationships: { space: { data: { guid: '2b5e1f0a-1111-4222-8333-444455556666' } } },
    });
    expect(nowhere.status).toBe(422);
    expect(nowhere.body.errors[0]?.detail).toContain('Invalid space');
    const numeric = await newApp('numeric-env', { environment_variables: { RETRIES: 3 } });
    expect(numeric.status).toBe(422);
    for (const key of ['VCAP_SERVICES', 'PORT']) {
      const res = await newApp(`bad-${key.toLowerCase()}`, {
        environment_variables: { [key]: 'x' },
      });
      expect(res.status).toBe(422);
    }
    const list = await call<ListResponse<App>>('GET', `/v3/apps?space_guids=${space.guid}`);
    expect(list.body.resources.map((a) => a.name)).toEqual(['web']);
  });

  it('lists with filters, gets, renames and changes the lifecycle', async () => {
    const worker = (
      await newApp('worker', {
        lifecycle: { type: 'buildpack', data: { buildpacks: ['nodejs_buildpack'] } },
      })
    ).body;
    expect(worker.lifecycle.data.buildpacks).toEqual(['nodejs_buildpack']);
    const byName = await call<ListResponse<App>>('GET', '/v3/apps?names=worker,web&order_by=-name');
    expect(byName.body.resources.map((a) => a.name)).toEqual(['worker', 'web']);
    const renamed = await call<App>('PATCH', `/v3/apps/${worker.guid}`, {
      name: 'jobs',
      lifecycle: { type: 'buildpack', data: { buildpacks: ['python_buildpack'] } },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('jobs');
    expect(renamed.body.lifecycle.data).toEqual({
      buildpacks: ['python_buildpack'],
      stack: 'bookworm',
    });
    const clash = await call<ErrorResponse>('PATCH', `/v3/apps/${worker.guid}`, { name: 'web' });
    expect(clash.status).toBe(422);
    const moved = await call<ErrorResponse>('PATCH', `/v3/apps/${worker.guid}`, {
      relationships: { space: { data: { guid: space.guid } } },
    });
    expect(moved.status).toBe(422);
    expect(moved.body.errors[0]?.detail).toContain("Unknown field(s): 'relationships'");
  });

  it('describes the environment: variables, VCAP_APPLICATION with org and space, VCAP_SERVICES', async () => {
    const app = (await newApp('env-described', { environment_variables: { GREETING: 'hi' } })).body;
    const env = await call<{
      environment_variables: Record<string, string>;
      system_env_json: { VCAP_SERVICES: Record<string, unknown> };
      application_env_json: { VCAP_APPLICATION: Record<string, unknown> };
      running_env_json: Record<string, string>;
      staging_env_json: Record<string, string>;
    }>('GET', `/v3/apps/${app.guid}/env`);
    expect(env.status).toBe(200);
    expect(env.body.environment_variables).toEqual({ GREETING: 'hi' });
    expect(env.body.system_env_json).toEqual({ VCAP_SERVICES: {} });
    expect(env.body.application_env_json.VCAP_APPLICATION).toEqual(
      expect.objectContaining({
        application_id: app.guid,
        application_name: 'env-described',
        space_id: space.guid,
        space_name: 'dev',
        organization_name: 'apps-org',
        cf_api: platform.url,
      }),
    );
    expect(env.body.running_env_json).toEqual({});
    expect(env.body.staging_env_json).toEqual({});
  });

  it('merges environment variables, null deleting, and rejects non-string values', async () => {
    const app = (await newApp('env-app', { environment_variables: { A: '1', B: '2' } })).body;
    const patched = await call<Vars>('PATCH', `/v3/apps/${app.guid}/environment_variables`, {
      var: { B: null, C: '3' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.var).toEqual({ A: '1', C: '3' });
    expect(patched.body.links.app?.href).toBe(`${platform.url}/v3/apps/${app.guid}`);
    const bad = await call<ErrorResponse>('PATCH', `/v3/apps/${app.guid}/environment_variables`, {
      var: { D: 5 },
    });
    expect(bad.status).toBe(422);
    const vcap = await call<ErrorResponse>('PATCH', `/v3/apps/${app.guid}/environment_variables`, {
      var: { VCAP_APPLICATION: 'x' },
    });
    expect(vcap.status).toBe(422);
    expect(
      (await call<Vars>('GET', `/v3/apps/${app.guid}/environment_variables`)).body.var,
    ).toEqual({ A: '1', C: '3' });
  });

  it('stores environment variables sealed, and seals rows written before sealing', async () => {
    const app = (
      await newApp('sealed-env', { environment_variables: { API_KEY: 'sk-live-value' } })
    ).body;
    const ds = platform.api.get(DataSource);
    const stored = async () =>
      (
        await ds.query<{ environment_variables: string }[]>(
          'SELECT environment_variables FROM apps WHERE guid = $1',
          [app.guid],
        )
      )[0]?.environment_variables ?? '';
    expect(await stored()).toMatch(/^v1\./);
    expect(await stored()).not.toContain('sk-live-value');
    // A row from before the column was sealed: plain JSON, read as such, sealed at the next start.
    await ds.query('UPDATE apps SET environment_variables = $1 WHERE guid = $2', [
      '{"API_KEY":"old-plain"}',
      app.guid,
    ]);
    const vars = await call<Vars>('GET', `/v3/apps/${app.guid}/environment_variables`);
    expect(vars.body.var).toEqual({ API_KEY: 'old-plain' });
    await platform.api.get(AppEnvironmentSealer).onApplicationBootstrap();
    expect(await stored()).toMatch(/^v1\./);
    expect(
      (await call<Vars>('GET', `/v3/apps/${app.guid}/environment_variables`)).body.var,
    ).toEqual({ API_KEY: 'old-plain' });
  });

  it('keeps a space with apps from being deleted, and deletes apps through a job', async () => {
    const refused = await call<ErrorResponse>('DELETE', `/v3/spaces/${space.guid}`);
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0]?.title).toBe('CF-AssociationNotEmpty');
    expect(refused.body.errors[0]?.detail).toMatch(/still contains \d+ app\(s\)/);

    const apps = (await call<ListResponse<App>>('GET', `/v3/apps?space_guids=${space.guid}`)).body
      .resources;
    for (const app of apps) {
      const del = await call<undefined>('DELETE', `/v3/apps/${app.guid}`);
      expect(del.status).toBe(202);
      const job = await waitForJob(del.headers.get('location'));
      expect(job).toEqual(expect.objectContaining({ state: 'COMPLETE', operation: 'app.delete' }));
      expect((await call('GET', `/v3/apps/${app.guid}`)).status).toBe(404);
    }
    const del = await call<undefined>('DELETE', `/v3/spaces/${space.guid}`);
    expect(del.status).toBe(202);
    expect((await waitForJob(del.headers.get('location'))).state).toBe('COMPLETE');
  });

  it('shows a user without roles no apps and answers their guids with 404', async () => {
    const org = (
      await call<ListResponse<OrganizationResource>>('GET', '/v3/organizations?names=apps-org')
    ).body.resources[0];
    const s2 = (
      await call<SpaceResource>('POST', '/v3/spaces', {
        name: 'other',
        relationships: { organization: { data: { guid: org?.guid ?? '' } } },
      })
    ).body;
    const app = (
      await call<App>('POST', '/v3/apps', {
        name: 'secret',
        relationships: { space: { data: { guid: s2.guid } } },
      })
    ).body;
    const user = await platform.login('apps-outsider');
    expect(
      (await call<ListResponse<App>>('GET', '/v3/apps', undefined, user)).body.resources,
    ).toEqual([]);
    expect((await call('GET', `/v3/apps/${app.guid}`, undefined, user)).status).toBe(404);
    expect(
      (await call('GET', `/v3/apps/${app.guid}/environment_variables`, undefined, user)).status,
    ).toBe(404);
    const create = await call<ErrorResponse>(
      'POST',
      '/v3/apps',
      { name: 'mine', relationships: { space: { data: { guid: s2.guid } } } },
      user,
    );
    expect(create.status).toBe(422);
    expect(create.body.errors[0]?.detail).toContain('Invalid space');
  });
});
