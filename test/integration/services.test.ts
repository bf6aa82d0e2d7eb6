import { DataSource } from 'typeorm';
import type {
  AppResource,
  ListResponse,
  SpaceResource,
  ServiceInstanceResource as Instance,
  CredentialBindingResource as Binding,
} from '@wharf/contracts';
import { apiCall } from '../support/api-call';
import { startTestPlatform, TestPlatform } from '../support/test-platform';

/**
 * User-provided service instances and app bindings through the API, on a real PostgreSQL: what
 * the app's environment shows, what the database holds (sealed credentials only), and the CF
 * errors for bad requests.
 */
jest.setTimeout(60_000);

interface Errors {
  errors: { code: number; title: string; detail: string }[];
}
interface Env {
  system_env_json: { VCAP_SERVICES: Record<string, Record<string, unknown>[]> };
}

let platform: TestPlatform;
let admin: string;

/** Calls as the user whose token is given. */
const call = <T>(token: string, method: string, path: string, body?: unknown) =>
  apiCall(
    () => platform.url,
    () => token,
  )<T>(method, path, body);

async function orgAndSpace(name: string): Promise<{ org: string; space: string }> {
  const org = await call<{ guid: string }>(admin, 'POST', '/v3/organizations', { name });
  const space = await call<SpaceResource>(admin, 'POST', '/v3/spaces', {
    name: 'dev',
    relationships: { organization: { data: { guid: org.body.guid } } },
  });
  return { org: org.body.guid, space: space.body.guid };
}

const ups = (space: string, name: string, credentials: unknown, extra: object = {}) => ({
  type: 'user-provided',
  name,
  credentials,
  ...extra,
  relationships: { space: { data: { guid: space } } },
});
const appBinding = (instance: string, app: string, name?: string) => ({
  type: 'app',
  ...(name ? { name } : {}),
  relationships: { service_instance: { data: { guid: instance } }, app: { data: { guid: app } } },
});

beforeAll(async () => {
  platform = await startTestPlatform();
  admin = await platform.login('services-admin', { admin: true });
});
afterAll(async () => platform?.close());

describe('user-provided service instances and bindings', () => {
  let a: { org: string; space: string };
  let b: { org: string; space: string };
  let app: AppResource;
  let db: Instance;
  let binding: Binding;
  const secret = 'pw-only-the-app-sees';

  beforeAll(async () => {
    a = await orgAndSpace('services-a');
    b = await orgAndSpace('services-b');
    app = (
      await call<AppResource>(admin, 'POST', '/v3/apps', {
        name: 'bound-app',
        relationships: { space: { data: { guid: a.space } } },
      })
    ).body;
  });

  it('creates one with its credentials sealed in the database', async () => {
    const res = await call<Instance>(
      admin,
      'POST',
      '/v3/service_instances',
      ups(
        a.space,
        'my-db',
        { uri: `postgres://u:${secret}@db:5432/x`, username: 'u' },
        { tags: ['sql'] },
      ),
    );
    expect(res.status).toBe(201);
    db = res.body;
    expect(db).toMatchObject({
      name: 'my-db',
      type: 'user-provided',
      tags: ['sql'],
      last_operation: { type: 'create', state: 'succeeded' },
    });
    expect(db.links.credentials?.href).toMatch(
      new RegExp(`/v3/service_instances/${db.guid}/credentials$`),
    );
    const rows = await platform.api
      .get(DataSource)
      .query<{ credentials_sealed: string }[]>(
        'SELECT credentials_sealed FROM service_instances WHERE guid = $1',
        [db.guid],
      );
    expect(rows[0]?.credentials_sealed).toMatch(/^v1\./);
    expect(JSON.stringify(rows)).not.toContain(secret);
    const creds = await call<Record<string, unknown>>(
      admin,
      'GET',
      `/v3/service_instances/${db.guid}/credentials`,
    );
    expect(creds.body).toEqual({ uri: `postgres://u:${secret}@db:5432/x`, username: 'u' });
  });

  it('refuses a taken name, credentials that are not an object, and managed instances for now', async () => {
    const taken = await call<Errors>(
      admin,
      'POST',
      '/v3/service_instances',
      ups(a.space, 'my-db', {}),
    );
    expect(taken.status).toBe(422);
    expect(taken.body.errors[0]).toMatchObject({
      code: 60002,
      title: 'CF-ServiceInstanceNameTaken',
      detail: 'The service instance name is taken: my-db.',
    });
    const array = await call<Errors>(
      admin,
      'POST',
      '/v3/service_instances',
      ups(a.space, 'x', [1]),
    );
    expect(array.status).toBe(422);
    const managed = await call<Errors>(admin, 'POST', '/v3/service_instances', {
      ...ups(a.space, 'm', {}),
      type: 'managed',
    });
    expect(managed.status).toBe(422);
    const unknownSpace = await call<Errors>(
      admin,
      'POST',
      '/v3/service_instances',
      ups('8c9a3a7e-1d1b-4b0a-9a1e-000000000000', 'y', {}),
    );
    expect(unknownSpace.status).toBe(422);
  });

  it("binds an app once, and its environment carries VCAP_SERVICES and the binding's details", async () => {
    const res = await call<Binding>(
      admin,
      'POST',
      '/v3/service_credential_bindings',
      appBinding(db.guid, app.guid, 'primary'),
    );
    expect(res.status).toBe(201);
    binding = res.body;
    expect(binding).toMatchObject({
      type: 'app',
      name: 'primary',
      relationships: {
        app: { data: { guid: app.guid } },
        service_instance: { data: { guid: db.guid } },
      },
    });
    const again = await call<Errors>(
      admin,
      'POST',
      '/v3/service_credential_bindings',
      appBinding(db.guid, app.guid),
    );
    expect(again.status).toBe(422);
    expect(again.body.errors[0]?.title).toBe('CF-ServiceBindingAppServiceTaken');

    const env = await call<Env>(admin, 'GET', `/v3/apps/${app.guid}/env`);
    expect(env.body.system_env_json.VCAP_SERVICES).toEqual({
      'user-provided': [
        {
          label: 'user-provided',
          provider: null,
          plan: null,
          name: 'primary',
          tags: ['sql'],
          instance_guid: db.guid,
          instance_name: 'my-db',
          binding_guid: binding.guid,
          binding_name: 'primary',
          credentials: { uri: `postgres://u:${secret}@db:5432/x`, username: 'u' },
          syslog_drain_url: null,
          volume_mounts: [],
        },
      ],
    });
    const details = await call<{ credentials: unknown }>(
      admin,
      'GET',
      `/v3/service_credential_bindings/${binding.guid}/details`,
    );
    expect(details.body.credentials).toEqual({
      uri: `postgres://u:${secret}@db:5432/x`,
      username: 'u',
    });
    const list = await call<ListResponse<Binding>>(
      admin,
      'GET',
      `/v3/service_credential_bindings?app_guids=${app.guid}`,
    );
    expect(list.body.resources.map((r) => r.guid)).toEqual([binding.guid]);
  });

  it('refuses to bind an app of another space', async () => {
    const other = await call<AppResource>(admin, 'POST', '/v3/apps', {
      name: 'elsewhere',
      relationships: { space: { data: { guid: b.space } } },
    });
    const res = await call<Errors>(
      admin,
      'POST',
      '/v3/service_credential_bindings',
      appBinding(db.guid, other.body.guid),
    );
    expect(res.status).toBe(422);
    expect(res.body.errors[0]?.detail).toBe(
      'The service instance and the app are in different spaces.',
    );
  });

  it('shows new credentials in the environment after an update', async () => {
    const res = await call<Instance>(admin, 'PATCH', `/v3/service_instances/${db.guid}`, {
      credentials: { uri: 'postgres://u:rotated@db:5432/x' },
    });
    expect(res.status).toBe(200);
    const env = await call<Env>(admin, 'GET', `/v3/apps/${app.guid}/env`);
    expect(env.body.system_env_json.VCAP_SERVICES['user-provided']?.[0]?.credentials).toEqual({
      uri: 'postgres://u:rotated@db:5432/x',
    });
  });

  it('hides instances and bindings from users of other orgs (404, empty lists)', async () => {
    const stranger = await platform.login('services-stranger');
    expect((await call(stranger, 'GET', `/v3/service_instances/${db.guid}`)).status).toBe(404);
    expect(
      (await call(stranger, 'GET', `/v3/service_instances/${db.guid}/credentials`)).status,
    ).toBe(404);
    expect(
      (await call(stranger, 'GET', `/v3/service_credential_bindings/${binding.guid}/details`))
        .status,
    ).toBe(404);
    const list = await call<ListResponse<Instance>>(stranger, 'GET', '/v3/service_instances');
    expect(list.body.resources).toEqual([]);
    const bindings = await call<ListResponse<Binding>>(
      stranger,
      'GET',
      '/v3/service_credential_bindings',
    );
    expect(bindings.body.resources).toEqual([]);
  });

  it('keeps credentials out of audit events', async () => {
    const events = await call<ListResponse<{ type: string; data: unknown }>>(
      admin,
      'GET',
      '/v3/audit_events?types=audit.user_provided_service_instance.create,audit.user_provided_service_instance.update,audit.service_binding.create',
    );
    expect(events.body.resources.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(events.body)).not.toContain(secret);
    expect(JSON.stringify(events.body)).not.toContain('rotated');
  });

  it('unbinds, and deleting an instance deletes its bindings', async () => {
    expect(
      (await call(admin, 'DELETE', `/v3/service_credential_bindings/${binding.guid}`)).status,
    ).toBe(204);
    const env = await call<Env>(admin, 'GET', `/v3/apps/${app.guid}/env`);
    expect(env.body.system_env_json.VCAP_SERVICES).toEqual({});
    const again = await call<Binding>(
      admin,
      'POST',
      '/v3/service_credential_bindings',
      appBinding(db.guid, app.guid),
    );
    expect(again.status).toBe(201);
    expect((await call(admin, 'DELETE', `/v3/service_instances/${db.guid}`)).status).toBe(204);
    expect(
      (await call(admin, 'GET', `/v3/service_credential_bindings/${again.body.guid}`)).status,
    ).toBe(404);
    expect((await call(admin, 'GET', `/v3/service_instances/${db.guid}`)).status).toBe(404);
  });

  it("purges a deleted app's bindings", async () => {
    const cache = await call<Instance>(
      admin,
      'POST',
      '/v3/service_instances',
      ups(a.space, 'cache', { uri: 'redis://c' }),
    );
    const bound = await call<Binding>(
      admin,
      'POST',
      '/v3/service_credential_bindings',
      appBinding(cache.body.guid, app.guid),
    );
    expect(bound.status).toBe(201);
    expect((await call(admin, 'DELETE', `/v3/apps/${app.guid}`)).status).toBe(202);
    const end = Date.now() + 20_000;
    for (;;) {
      const res = await call(admin, 'GET', `/v3/service_credential_bindings/${bound.body.guid}`);
      if (res.status === 404) break;
      if (Date.now() > end) throw new Error('the binding of the deleted app is still there');
      await new Promise((r) => setTimeout(r, 200));
    }
    expect((await call(admin, 'GET', `/v3/service_instances/${cache.body.guid}`)).status).toBe(200);
  });

  it('keeps a space with service instances from being deleted', async () => {
    const res = await call<Errors>(admin, 'DELETE', `/v3/spaces/${a.space}`);
    expect(res.status).toBe(422);
    expect(res.body.errors[0]?.detail).toContain('service instance(s)');
  });
});
