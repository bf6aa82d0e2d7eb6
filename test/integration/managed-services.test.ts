import { DataSource } from 'typeorm';
import type {
  AppResource,
  CredentialBindingResource as Binding,
  JobResource,
  ListResponse,
  ServiceBrokerResource,
  ServiceInstanceResource as Instance,
  ServiceOfferingResource,
  ServicePlanResource,
  SpaceResource,
} from '@wharf/contracts';
import {
  BrokerRequest,
  FIXTURE_SERVICE_ID,
  FixtureBroker,
  startFixtureBroker,
} from '../support/fixture-broker';
import { startTestPlatform, TestPlatform } from '../support/test-platform';

/**
 * The platform side of OSB v2.17 against a real HTTP broker (test/support/fixture-broker.ts) and a
 * real PostgreSQL and Redis: registration, catalog, plan visibility, managed instances and
 * bindings through their jobs, asynchronous polling, orphan mitigation, and the CF errors.
 */
jest.setTimeout(90_000);

interface Errors {
  errors: { code: number; title: string; detail: string }[];
}
interface Env {
  system_env_json: { VCAP_SERVICES: Record<string, Record<string, unknown>[]> };
  environment_variables?: Record<string, string>;
}

let platform: TestPlatform;
let admin: string;
let broker: FixtureBroker;
let brokerGuid: string;
const plans = new Map<string, string>();
let space: string;
let org: string;

async function call<T>(
  method: string,
  path: string,
  body?: unknown,
  token = admin,
): Promise<{ status: number; body: T; location: string | null }> {
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
    body: (text ? JSON.parse(text) : undefined) as T,
    location: res.headers.get('location'),
  };
}

/** Follows a job until it ends; the states it went through are returned too. */
async function waitForJob(
  location: string | null,
): Promise<{ job: JobResource; seen: Set<string> }> {
  expect(location).toMatch(/\/v3\/jobs\/[0-9a-f-]{36}$/);
  const path = new URL(location ?? '').pathname;
  const seen = new Set<string>();
  for (let i = 0; i < 300; i++) {
    const { body } = await call<JobResource>('GET', path);
    seen.add(body.state);
    if (body.state === 'COMPLETE' || body.state === 'FAILED') return { job: body, seen };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${path} did not end`);
}

async function until<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await check();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const managed = (name: string, plan: string, extra: object = {}) => ({
  type: 'managed',
  name,
  ...extra,
  relationships: {
    space: { data: { guid: space } },
    service_plan: { data: { guid: plans.get(plan) } },
  },
});

/** The first element, which the test expects to exist. */
function first<T>(items: T[]): T {
  const item = items[0];
  if (item === undefined) throw new Error('expected at least one element');
  return item;
}

const received = (method: string, pathPart: string): BrokerRequest[] =>
  broker.requests.filter((r) => r.method === method && r.path.includes(pathPart));

async function createInstance(name: string, plan: string, extra: object = {}) {
  const res = await call<Errors>('POST', '/v3/service_instances', managed(name, plan, extra));
  expect(res.status).toBe(202);
  const { job, seen } = await waitForJob(res.location);
  const list = await call<ListResponse<Instance>>('GET', `/v3/service_instances?names=${name}`);
  return { job, seen, instance: first(list.body.resources) };
}

beforeAll(async () => {
  broker = await startFixtureBroker({ polls: 2 });
  platform = await startTestPlatform({ osb: { timeoutMs: 1500, maxPollSeconds: 60 } });
  admin = await platform.login('osb-admin', { admin: true });
  org = (await call<{ guid: string }>('POST', '/v3/organizations', { name: 'osb-org' })).body.guid;
  space = (
    await call<SpaceResource>('POST', '/v3/spaces', {
      name: 'dev',
      relationships: { organization: { data: { guid: org } } },
    })
  ).body.guid;
});
afterAll(async () => {
  await platform?.close();
  await broker?.close();
});

const brokerBody = (name: string, url: string, password: string) => ({
  name,
  url,
  authentication: { type: 'basic', credentials: { username: broker.username, password } },
});

describe('service brokers', () => {
  it('registers a broker in a job that fetches its catalog; the password is sealed', async () => {
    const res = await call(
      'POST',
      '/v3/service_brokers',
      brokerBody('fixture', broker.url, broker.password),
    );
    expect(res.status).toBe(202);
    const { job } = await waitForJob(res.location);
    expect(job).toMatchObject({
      state: 'COMPLETE',
      operation: 'service_broker.catalog.synchronize',
    });
    const catalog = first(received('GET', '/v2/catalog'));
    expect(catalog.headers['x-broker-api-version']).toBe('2.17');
    expect(catalog.headers['x-broker-api-request-identity']).toMatch(/^[0-9a-f-]{36}$/);
    const list = await call<ListResponse<ServiceBrokerResource>>(
      'GET',
      '/v3/service_brokers?names=fixture',
    );
    expect(list.body.resources).toHaveLength(1);
    brokerGuid = first(list.body.resources).guid;
    expect(JSON.stringify(list.body)).not.toContain(broker.password);
    const rows = await platform.api
      .get(DataSource)
      .query<{ password_sealed: string }[]>('SELECT password_sealed FROM service_brokers');
    expect(rows.map((r) => r.password_sealed).join()).not.toContain(broker.password);

    const offerings = await call<ListResponse<ServiceOfferingResource>>(
      'GET',
      '/v3/service_offerings?names=fixture-db',
    );
    expect(first(offerings.body.resources)).toMatchObject({
      name: 'fixture-db',
      available: true,
      tags: ['fixture', 'sql'],
      broker_catalog: {
        id: FIXTURE_SERVICE_ID,
        features: { bindable: true, plan_updateable: true },
      },
      relationships: { service_broker: { data: { guid: brokerGuid } } },
    });
    const planList = await call<ListResponse<ServicePlanResource>>(
      'GET',
      '/v3/service_plans?service_offering_names=fixture-db&per_page=50',
    );
    for (const p of planList.body.resources) plans.set(p.name, p.guid);
    // In the catalog's order.
    expect([...plans.keys()].slice(0, 3)).toEqual(['sync', 'sized', 'async']);
    expect([...plans.keys()]).toEqual(
      expect.arrayContaining(['sync', 'async', 'sized', 'bind-hangs']),
    );
    const sized = planList.body.resources.find((p) => p.name === 'sized');
    expect(sized?.schemas.service_instance.create.parameters).toMatchObject({ required: ['size'] });
    expect(sized?.visibility_type).toBe('admin');
  });

  it('refuses a name that is taken, and non-admins', async () => {
    const taken = await call<Errors>(
      'POST',
      '/v3/service_brokers',
      brokerBody('fixture', broker.url, 'x'),
    );
    expect(taken.status).toBe(422);
    expect(first(taken.body.errors)).toMatchObject({
      code: 270003,
      title: 'CF-ServiceBrokerNameTaken',
    });
    const user = await platform.login('osb-user');
    const denied = await call<Errors>(
      'POST',
      '/v3/service_brokers',
      brokerBody('mine', broker.url, 'x'),
      user,
    );
    expect(denied.status).toBe(403);
    expect(
      (await call<ListResponse<unknown>>('GET', '/v3/service_brokers', undefined, user)).body
        .resources,
    ).toHaveLength(0);
  });

  it.each([
    [
      'wrong credentials',
      (u: string) => brokerBody('bad-auth', u, 'wrong'),
      'CF-ServiceBrokerRequestRejected',
      /status 401/,
    ],
    [
      'an unreachable url',
      () => brokerBody('nowhere', 'http://127.0.0.1:9', 'x'),
      'CF-ServiceBrokerUnreachable',
      /could not be reached/,
    ],
  ])(
    'a registration with %s fails its job and leaves no broker',
    async (_what, body, title, detail) => {
      const res = await call('POST', '/v3/service_brokers', body(broker.url));
      const { job } = await waitForJob(res.location);
      expect(job.state).toBe('FAILED');
      expect(first(job.errors).title).toBe(title);
      expect(first(job.errors).detail).toMatch(detail);
      const list = await call<ListResponse<ServiceBrokerResource>>('GET', '/v3/service_brokers');
      expect(list.body.resources.map((b) => b.name)).toEqual(['fixture']);
    },
  );

  it('a broker whose catalog is garbage is not registered and offers nothing', async () => {
    const other = await startFixtureBroker();
    try {
      other.catalogOverride = '{"services": [{"id": "x"'; // truncated JSON
      const res = await call('POST', '/v3/service_brokers', {
        ...brokerBody('garbage', other.url, other.password),
      });
      const { job } = await waitForJob(res.location);
      expect(first(job.errors)).toMatchObject({
        code: 270012,
        title: 'CF-ServiceBrokerCatalogInvalid',
      });
      other.catalogOverride = {
        services: [{ id: 'a', name: 'a', description: 'a', bindable: true, plans: [] }],
      };
      const res2 = await call(
        'POST',
        '/v3/service_brokers',
        brokerBody('empty-plans', other.url, other.password),
      );
      const { job: job2 } = await waitForJob(res2.location);
      expect(first(job2.errors).detail).toMatch(/services\.0\.plans/);
      const offerings = await call<ListResponse<ServiceOfferingResource>>(
        'GET',
        '/v3/service_offerings',
      );
      expect(offerings.body.resources.map((o) => o.name)).toEqual(['fixture-db']);
    } finally {
      await other.close();
    }
  });

  it('plan visibility: admin-only until enabled for an org or everyone', async () => {
    const guid = plans.get('sync');
    const enable = await call<{ type: string; organizations: { guid: string; name: string }[] }>(
      'POST',
      `/v3/service_plans/${guid}/visibility`,
      { type: 'organization', organizations: [{ guid: org }] },
    );
    expect(enable.status).toBe(200);
    expect(enable.body).toEqual({
      type: 'organization',
      organizations: [{ guid: org, name: 'osb-org' }],
    });
    const pub = await call<{ type: string }>('PATCH', `/v3/service_plans/${guid}/visibility`, {
      type: 'public',
    });
    expect(pub.body).toEqual({ type: 'public' });
    const user = await platform.login('osb-viewer');
    const seen = await call<ListResponse<ServicePlanResource>>(
      'GET',
      '/v3/service_plans',
      undefined,
      user,
    );
    expect(seen.body.resources.map((p) => p.name)).toEqual(['sync']);
    expect(first(seen.body.resources).visibility_type).toBe('public');
  });
});

describe('managed service instances', () => {
  it('provisions synchronously: the broker gets the OSB request with the platform headers', async () => {
    const { job, instance } = await createInstance('db-sync', 'sync', { tags: ['mine'] });
    expect(job.state).toBe('COMPLETE');
    expect(job.links.service_instance?.href).toBe(
      `${platform.url}/v3/service_instances/${instance.guid}`,
    );
    expect(instance).toMatchObject({
      type: 'managed',
      tags: ['mine'],
      last_operation: { type: 'create', state: 'succeeded' },
      dashboard_url: `http://fixture/dashboard/${instance.guid}`,
      relationships: { service_plan: { data: { guid: plans.get('sync') } } },
    });
    const put = first(received('PUT', `/v2/service_instances/${instance.guid}`));
    expect(put.query).toMatchObject({ accepts_incomplete: 'true' });
    expect(put.body).toMatchObject({
      service_id: FIXTURE_SERVICE_ID,
      plan_id: 'plan-sync',
      organization_guid: org,
      space_guid: space,
      context: { platform: 'cloudfoundry', instance_name: 'db-sync', space_guid: space },
    });
    const identity = String(put.headers['x-broker-api-originating-identity']);
    expect(identity).toMatch(/^cloudfoundry /);
    expect(
      JSON.parse(Buffer.from(identity.split(' ')[1] ?? '', 'base64').toString()),
    ).toHaveProperty('user_id');
  });

  it('polls an asynchronous provision until it succeeds, echoing the operation', async () => {
    const { job, seen, instance } = await createInstance('db-async', 'async');
    expect(job.state).toBe('COMPLETE');
    expect(seen.has('POLLING')).toBe(true);
    expect(instance.last_operation).toMatchObject({ type: 'create', state: 'succeeded' });
    const polls = received('GET', `/v2/service_instances/${instance.guid}/last_operation`);
    expect(polls).toHaveLength(3);
    expect(
      polls.every((p) => p.query.operation === first(polls).query.operation && p.query.operation),
    ).toBe(true);
    expect(first(polls).query).toMatchObject({
      service_id: FIXTURE_SERVICE_ID,
      plan_id: 'plan-async',
    });
  });

  it('an asynchronous provision that fails ends failed with the broker description', async () => {
    const { job, instance } = await createInstance('db-async-fails', 'async-fails');
    expect(job.state).toBe('FAILED');
    expect(first(job.errors)).toMatchObject({ title: 'CF-UnableToPerform' });
    expect(first(job.errors).detail).toMatch(
      /provision could not be completed: the fixture was told to fail/,
    );
    expect(instance.last_operation).toMatchObject({
      type: 'create',
      state: 'failed',
      description: 'the fixture was told to fail',
    });
  });

  it('orphan-mitigates a provision answered with 500 or garbage, not one answered with 400', async () => {
    for (const plan of ['provision-500', 'provision-garbage']) {
      const { job, instance } = await createInstance(`db-${plan}`, plan);
      expect(job.state).toBe('FAILED');
      expect(instance.last_operation.state).toBe('failed');
      await until(`the orphan-mitigation DELETE after ${plan}`, () =>
        received('DELETE', `/v2/service_instances/${instance.guid}`).length > 0 ? true : undefined,
      );
      expect(broker.instances.has(instance.guid)).toBe(false);
    }
    const { job, instance } = await createInstance('db-400', 'provision-400');
    expect(first(job.errors).detail).toMatch(/status 400: BadRequest: no, thanks/);
    await new Promise((r) => setTimeout(r, 500));
    expect(received('DELETE', `/v2/service_instances/${instance.guid}`)).toHaveLength(0);
  });

  it('checks parameters against the plan schema before calling the broker', async () => {
    const before = broker.requests.length;
    const bad = await call<Errors>(
      'POST',
      '/v3/service_instances',
      managed('sized-bad', 'sized', { parameters: { size: 'big' } }),
    );
    expect(bad.status).toBe(422);
    expect(first(bad.body.errors).detail).toMatch(
      /Invalid service instance parameters: \/size must be integer/,
    );
    const missing = await call<Errors>(
      'POST',
      '/v3/service_instances',
      managed('sized-bad', 'sized'),
    );
    expect(first(missing.body.errors).detail).toMatch(/must have required property 'size'/);
    expect(broker.requests.length).toBe(before);
    const { job, instance } = await createInstance('sized-ok', 'sized', {
      parameters: { size: 3 },
    });
    expect(job.state).toBe('COMPLETE');
    expect(broker.instances.get(instance.guid)?.parameters).toEqual({ size: 3 });
  });

  it('refuses an unknown plan, a name taken, and leaves nothing behind', async () => {
    const unknown = await call<Errors>('POST', '/v3/service_instances', {
      ...managed('x', 'sync'),
      relationships: {
        space: { data: { guid: space } },
        service_plan: { data: { guid: '0f2d5c1e-1111-4a4a-8b8b-000000000000' } },
      },
    });
    expect(unknown.status).toBe(422);
    expect(first(unknown.body.errors).detail).toMatch(/Invalid service plan/);
    const taken = await call<Errors>('POST', '/v3/service_instances', managed('db-sync', 'sync'));
    expect(first(taken.body.errors)).toMatchObject({ code: 60002 });
    const list = await call<ListResponse<Instance>>('GET', '/v3/service_instances?names=x');
    expect(list.body.resources).toHaveLength(0);
  });

  it('refuses a plan that is not free where a quota allows only free plans, creating or updating', async () => {
    const db = platform.api.get(DataSource);
    await db.query('UPDATE service_plans SET free = false WHERE guid = $1', [plans.get('sync')]);
    const quota = await call<{ guid: string }>('POST', '/v3/space_quotas', {
      name: 'free-only',
      services: { paid_services_allowed: false },
      relationships: {
        organization: { data: { guid: org } },
        spaces: { data: [{ guid: space }] },
      },
    });
    expect(quota.status).toBe(201);
    try {
      const heard = broker.requests.length;
      const created = await call<Errors>(
        'POST',
        '/v3/service_instances',
        managed('db-paid', 'sync'),
      );
      expect(created.status).toBe(422);
      expect(first(created.body.errors)).toEqual({
        code: 60013,
        title: 'CF-ServiceInstanceServicePlanNotAllowedBySpaceQuota',
        detail:
          "The service instance cannot be created because paid service plans are not allowed for your space: space quota 'free-only' does not allow them, and plan 'sync' is not free.",
      });
      // Refused before anything reached the broker or was recorded.
      expect(broker.requests.length).toBe(heard);
      const names = await call<ListResponse<Instance>>(
        'GET',
        '/v3/service_instances?names=db-paid',
      );
      expect(names.body.resources).toHaveLength(0);
      // A free plan is still fine; moving it to the paid plan is refused before the broker hears of it.
      const { instance } = await createInstance('db-free', 'async');
      const before = broker.requests.length;
      const updated = await call<Errors>('PATCH', `/v3/service_instances/${instance.guid}`, {
        relationships: { service_plan: { data: { guid: plans.get('sync') } } },
      });
      expect(updated.status).toBe(422);
      expect(first(updated.body.errors)).toMatchObject({
        code: 60013,
        detail: expect.stringMatching(
          /^The service instance cannot be updated because paid/,
        ) as string,
      });
      expect(broker.requests.length).toBe(before);
    } finally {
      await call('DELETE', `/v3/space_quotas/${quota.body.guid}/relationships/spaces/${space}`);
      await db.query('UPDATE service_plans SET free = true WHERE guid = $1', [plans.get('sync')]);
    }
  });

  it('updates the plan through the broker and refuses a second operation while one runs', async () => {
    const { instance } = await createInstance('db-upd', 'async');
    const res = await call('PATCH', `/v3/service_instances/${instance.guid}`, {
      relationships: { service_plan: { data: { guid: plans.get('sync') } } },
    });
    expect(res.status).toBe(202);
    const busy = await call<Errors>('PATCH', `/v3/service_instances/${instance.guid}`, {
      parameters: { a: 1 },
    });
    expect(busy.status).toBe(409);
    expect(first(busy.body.errors)).toMatchObject({
      code: 60016,
      title: 'CF-AsyncServiceInstanceOperationInProgress',
    });
    const { job } = await waitForJob(res.location);
    expect(job.state).toBe('COMPLETE');
    const patch = first(received('PATCH', `/v2/service_instances/${instance.guid}`));
    expect(patch.body).toMatchObject({
      plan_id: 'plan-sync',
      previous_values: { plan_id: 'plan-async', service_id: FIXTURE_SERVICE_ID },
    });
    const after = await call<Instance>('GET', `/v3/service_instances/${instance.guid}`);
    expect(after.body.relationships.service_plan?.data.guid).toBe(plans.get('sync'));
    expect(after.body.last_operation).toMatchObject({ type: 'update', state: 'succeeded' });
  });
});

describe('managed bindings and service keys', () => {
  let app: AppResource;
  let db: Instance;
  let binding: Binding;

  beforeAll(async () => {
    app = (
      await call<AppResource>('POST', '/v3/apps', {
        name: 'osb-app',
        relationships: { space: { data: { guid: space } } },
      })
    ).body;
    db = (await createInstance('db-bound', 'sync')).instance;
  });

  it('binds an app: credentials from the broker reach VCAP_SERVICES and DATABASE_URL, sealed at rest', async () => {
    const res = await call('POST', '/v3/service_credential_bindings', {
      type: 'app',
      name: 'primary',
      relationships: {
        service_instance: { data: { guid: db.guid } },
        app: { data: { guid: app.guid } },
      },
    });
    expect(res.status).toBe(202);
    expect((await waitForJob(res.location)).job.state).toBe('COMPLETE');
    const list = await call<ListResponse<Binding>>(
      'GET',
      `/v3/service_credential_bindings?app_guids=${app.guid}`,
    );
    binding = first(list.body.resources);
    expect(binding.last_operation).toMatchObject({ type: 'create', state: 'succeeded' });
    const put = first(received('PUT', `/service_bindings/${binding.guid}`));
    expect(put.body).toMatchObject({
      service_id: FIXTURE_SERVICE_ID,
      plan_id: 'plan-sync',
      bind_resource: { app_guid: app.guid },
      context: { platform: 'cloudfoundry' },
    });
    const credentials = broker.bindings.get(binding.guid)?.credentials ?? {};
    const env = await call<Env>('GET', `/v3/apps/${app.guid}/env`);
    expect(env.body.system_env_json.VCAP_SERVICES['fixture-db']).toEqual([
      expect.objectContaining({
        label: 'fixture-db',
        plan: 'sync',
        name: 'primary',
        instance_name: 'db-bound',
        binding_guid: binding.guid,
        instance_guid: db.guid,
        tags: ['fixture', 'sql'],
        credentials,
      }),
    ]);
    const rows = await platform.api
      .get(DataSource)
      .query<{ credentials_sealed: string }[]>(
        'SELECT credentials_sealed FROM service_credential_bindings WHERE guid = $1',
        [binding.guid],
      );
    expect(first(rows).credentials_sealed).not.toContain(String(credentials.password));
    const details = await call<{ credentials: Record<string, unknown> }>(
      'GET',
      `/v3/service_credential_bindings/${binding.guid}/details`,
    );
    expect(details.body.credentials).toEqual(credentials);
  });

  it('creates and deletes a service key', async () => {
    const res = await call('POST', '/v3/service_credential_bindings', {
      type: 'key',
      name: 'ci-key',
      relationships: { service_instance: { data: { guid: db.guid } } },
    });
    expect((await waitForJob(res.location)).job.state).toBe('COMPLETE');
    const dup = await call<Errors>('POST', '/v3/service_credential_bindings', {
      type: 'key',
      name: 'ci-key',
      relationships: { service_instance: { data: { guid: db.guid } } },
    });
    expect(first(dup.body.errors)).toMatchObject({ title: 'CF-ServiceKeyNameTaken' });
    const keys = await call<ListResponse<Binding>>(
      'GET',
      `/v3/service_credential_bindings?type=key&service_instance_guids=${db.guid}`,
    );
    expect(keys.body.resources).toHaveLength(1);
    const del = await call(
      'DELETE',
      `/v3/service_credential_bindings/${first(keys.body.resources).guid}`,
    );
    expect(del.status).toBe(202);
    expect((await waitForJob(del.location)).job.state).toBe('COMPLETE');
    expect(broker.bindings.has(first(keys.body.resources).guid)).toBe(false);
  });

  it('refuses to delete an instance that still has bindings', async () => {
    const res = await call<Errors>('DELETE', `/v3/service_instances/${db.guid}`);
    expect(res.status).toBe(422);
    expect(first(res.body.errors)).toMatchObject({ code: 10006, title: 'CF-AssociationNotEmpty' });
    expect(broker.instances.has(db.guid)).toBe(true);
  });

  it('a bind that times out ends failed with a clear description and is orphan-mitigated', async () => {
    const hung = (await createInstance('db-hangs', 'bind-hangs')).instance;
    const res = await call('POST', '/v3/service_credential_bindings', {
      type: 'app',
      relationships: {
        service_instance: { data: { guid: hung.guid } },
        app: { data: { guid: app.guid } },
      },
    });
    const { job } = await waitForJob(res.location);
    expect(job.state).toBe('FAILED');
    expect(first(job.errors).detail).toMatch(
      /bind could not be completed: The service broker could not be reached: no answer within 1.5 s/,
    );
    const list = await call<ListResponse<Binding>>(
      'GET',
      `/v3/service_credential_bindings?service_instance_guids=${hung.guid}`,
    );
    expect(first(list.body.resources).last_operation).toMatchObject({
      type: 'create',
      state: 'failed',
    });
    await until('the orphan-mitigation DELETE of the binding', () =>
      received('DELETE', `/service_bindings/${first(list.body.resources).guid}`).length > 0
        ? true
        : undefined,
    );
    // The failed binding gives the app nothing.
    const env = await call<Env>('GET', `/v3/apps/${app.guid}/env`);
    expect(env.body.system_env_json.VCAP_SERVICES['fixture-db']).toHaveLength(1);
  });

  it('unbinds and deprovisions through the broker; what is gone at the broker is gone here', async () => {
    const unbind = await call('DELETE', `/v3/service_credential_bindings/${binding.guid}`);
    expect(unbind.status).toBe(202);
    expect((await waitForJob(unbind.location)).job.state).toBe('COMPLETE');
    expect(broker.bindings.has(binding.guid)).toBe(false);
    const unbindReq = first(received('DELETE', `/service_bindings/${binding.guid}`));
    expect(unbindReq.query).toMatchObject({ service_id: FIXTURE_SERVICE_ID, plan_id: 'plan-sync' });
    const del = await call('DELETE', `/v3/service_instances/${db.guid}`);
    expect(del.status).toBe(202);
    expect((await waitForJob(del.location)).job.state).toBe('COMPLETE');
    expect(broker.instances.has(db.guid)).toBe(false);
    expect((await call('GET', `/v3/service_instances/${db.guid}`)).status).toBe(404);
    // Deleting what the broker already lost: 410 counts as deleted.
    const lost = (await createInstance('db-lost', 'sync')).instance;
    broker.instances.delete(lost.guid);
    const del2 = await call('DELETE', `/v3/service_instances/${lost.guid}`);
    expect((await waitForJob(del2.location)).job.state).toBe('COMPLETE');
  });

  it('an asynchronous deprovision is polled to the end', async () => {
    const inst = (await createInstance('db-async-del', 'async')).instance;
    const del = await call('DELETE', `/v3/service_instances/${inst.guid}`);
    const { job, seen } = await waitForJob(del.location);
    expect(job.state).toBe('COMPLETE');
    expect(seen.has('POLLING')).toBe(true);
    expect((await call('GET', `/v3/service_instances/${inst.guid}`)).status).toBe(404);
  });

  it('refuses to delete a broker whose plans have instances', async () => {
    const res = await call<Errors>('DELETE', `/v3/service_brokers/${brokerGuid}`);
    expect(res.status).toBe(422);
    expect(first(res.body.errors)).toMatchObject({
      code: 270010,
      title: 'CF-ServiceBrokerNotRemovable',
    });
  });
});
