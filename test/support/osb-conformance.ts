import { randomUUID } from 'node:crypto';

/** A broker and the offering the suite exercises on it. */
export interface OsbTarget {
  url: string;
  username: string;
  password: string;
  serviceId: string;
  planId: string;
  /** Another plan of the same offering, for the 409 of a re-sent PUT with other attributes. */
  otherPlanId: string;
  /** Longest time an async provision may take, in ms. */
  provisionTimeoutMs?: number;
}

export interface OsbResponse {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

/** Fields OSB 2.17 defines for each response; a broker must send nothing else (no extensions). */
const FIELDS_2_17 = {
  catalog: ['services'],
  service: [
    'id',
    'name',
    'description',
    'tags',
    'requires',
    'bindable',
    'instances_retrievable',
    'bindings_retrievable',
    'allow_context_updates',
    'metadata',
    'dashboard_client',
    'plan_updateable',
    'plans',
  ],
  plan: [
    'id',
    'name',
    'description',
    'metadata',
    'free',
    'bindable',
    'binding_rotatable',
    'plan_updateable',
    'schemas',
    'maximum_polling_duration',
    'maintenance_info',
  ],
  provision: ['dashboard_url', 'operation', 'metadata'],
  lastOperation: ['state', 'description', 'instance_usable', 'update_repeatable'],
  binding: [
    'metadata',
    'credentials',
    'syslog_drain_url',
    'route_service_url',
    'volume_mounts',
    'endpoints',
  ],
  error: ['error', 'description', 'instance_usable', 'update_repeatable'],
};

/** Fields that came after 2.13 (2.14: retrievable flags; 2.15: polling duration, plan updates). */
const NEWER_THAN_2_13 = {
  service: ['instances_retrievable', 'bindings_retrievable', 'allow_context_updates'],
  plan: ['binding_rotatable', 'plan_updateable', 'maximum_polling_duration', 'maintenance_info'],
  binding: ['endpoints', 'metadata'],
};

/**
 * Ids a broker must refuse with 400 wherever they appear (the built-in brokers take 1 to 100 of
 * letters, digits, '.', '_' and '-'): a GNU sed command, a path, a line break, sheer length,
 * userinfo. Sent percent-encoded, so they reach the broker as they are here.
 */
export const HOSTILE_IDS: [string, string][] = [
  ['a sed command', 'x;e touch /tmp/pwned'],
  ['a path', 'a/../b'],
  ['a newline', 'a\nb'],
  ['200 characters', 'x'.repeat(200)],
  ['userinfo', 'u:p@evil'],
];

export function osbClient(target: () => OsbTarget) {
  return async function call(
    method: string,
    path: string,
    options: { body?: unknown; version?: string | null; auth?: string | null } = {},
  ): Promise<OsbResponse> {
    const t = target();
    const headers: Record<string, string> = {};
    const version = options.version === undefined ? '2.17' : options.version;
    if (version !== null) headers['X-Broker-API-Version'] = version;
    const auth =
      options.auth === undefined
        ? `Basic ${Buffer.from(`${t.username}:${t.password}`).toString('base64')}`
        : options.auth;
    if (auth !== null) headers.Authorization = auth;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    }
    const res = await fetch(`${t.url}${path}`, { method, headers, body });
    const text = await res.text();
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new Error(
        `${method} ${path} answered ${res.status} with a body that is not JSON: ${text}`,
      );
    }
    return { status: res.status, body: parsed, headers: res.headers };
  };
}

function expectOnly(value: unknown, allowed: string[], what: string): void {
  expect(value).toEqual(expect.any(Object));
  const extra = Object.keys(value as object).filter((k) => !allowed.includes(k));
  if (extra.length)
    throw new Error(`${what} carries fields OSB does not define: ${extra.join(', ')}`);
}

function expectError(res: OsbResponse, status: number, error?: string): void {
  expect(res.status).toBe(status);
  expectOnly(res.body, FIELDS_2_17.error, `the ${status} error body`);
  expect(res.body.description).toEqual(expect.any(String));
  if (error) expect(res.body.error).toBe(error);
  else expect(res.body.error).toEqual(expect.stringMatching(/^[A-Z][A-Za-z]+$/));
}

/** Polls last_operation until it leaves "in progress"; the final answer. */
export async function pollLastOperation(
  call: ReturnType<typeof osbClient>,
  target: OsbTarget,
  instanceId: string,
  operation: unknown,
): Promise<OsbResponse> {
  const deadline = Date.now() + (target.provisionTimeoutMs ?? 120_000);
  const query = new URLSearchParams({ service_id: target.serviceId, plan_id: target.planId });
  if (typeof operation === 'string') query.set('operation', operation);
  for (;;) {
    const res = await call(
      'GET',
      `/v2/service_instances/${instanceId}/last_operation?${query.toString()}`,
    );
    expect(res.status).toBe(200);
    expectOnly(res.body, FIELDS_2_17.lastOperation, 'last_operation');
    if (res.body.state !== 'in progress') return res;
    if (Date.now() > deadline) throw new Error(`provision of ${instanceId} still in progress`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * Provisions an instance the way a platform does (accepts_incomplete=true, polling when the
 * broker answers 202) and returns once it is ready.
 */
export async function provisionReady(
  call: ReturnType<typeof osbClient>,
  target: OsbTarget,
  instanceId: string,
  planId = target.planId,
): Promise<void> {
  const res = await call('PUT', `/v2/service_instances/${instanceId}?accepts_incomplete=true`, {
    body: provisionBody(target, planId),
  });
  expect([201, 202]).toContain(res.status);
  if (res.status === 202) {
    const done = await pollLastOperation(
      call,
      { ...target, planId },
      instanceId,
      res.body.operation,
    );
    expect(done.body).toMatchObject({ state: 'succeeded' });
  }
}

export function provisionBody(target: OsbTarget, planId = target.planId): Record<string, unknown> {
  return {
    service_id: target.serviceId,
    plan_id: planId,
    organization_guid: 'org-guid-conformance',
    space_guid: 'space-guid-conformance',
    context: {
      platform: 'cloudfoundry',
      organization_guid: 'org-guid-conformance',
      space_guid: 'space-guid-conformance',
      instance_name: 'conformance',
    },
  };
}

/**
 * The OSB v2.17 conformance suite, written from the spec (and what osb-checker expects where the
 * spec leaves a choice): headers and auth, the catalog, provision / bind / unbind / deprovision
 * with their idempotency and conflict answers, async polling, and responses that carry only the
 * fields of the version asked for. Call it inside a describe() whose beforeAll starts the broker.
 */
export function osbConformance(
  target: () => OsbTarget,
  /** Provisioning answers 202 and is polled (and 422 AsyncRequired without accepts_incomplete). */
  options: { async: boolean },
): void {
  const call = osbClient(target);
  const instancePath = (id: string, query = '') => `/v2/service_instances/${id}${query}`;
  const ids = (t: OsbTarget) => `service_id=${t.serviceId}&plan_id=${t.planId}`;

  describe('headers and authentication', () => {
    it('answers 412 without X-Broker-API-Version, or with a version it does not speak', async () => {
      expectError(await call('GET', '/v2/catalog', { version: null }), 412);
      expectError(await call('GET', '/v2/catalog', { version: '1.0' }), 412);
      expectError(await call('GET', '/v2/catalog', { version: '3.0' }), 412);
      expectError(await call('GET', '/v2/catalog', { version: 'two' }), 412);
      expect((await call('GET', '/v2/catalog', { version: '2.13' })).status).toBe(200);
    });

    it('answers 401 without or with wrong Basic credentials, on every endpoint', async () => {
      expectError(await call('GET', '/v2/catalog', { auth: null }), 401);
      const wrong = `Basic ${Buffer.from(`${target().username}:not-the-password`).toString('base64')}`;
      expectError(await call('GET', '/v2/catalog', { auth: wrong }), 401);
      expectError(
        await call('PUT', instancePath(randomUUID()), {
          auth: wrong,
          body: provisionBody(target()),
        }),
        401,
      );
      expectError(await call('GET', '/v2/catalog', { auth: 'Bearer x' }), 401);
    });

    it('echoes X-Broker-API-Request-Identity', async () => {
      const t = target();
      const res = await fetch(`${t.url}/v2/catalog`, {
        headers: {
          'X-Broker-API-Version': '2.17',
          'X-Broker-API-Request-Identity': 'req-123',
          Authorization: `Basic ${Buffer.from(`${t.username}:${t.password}`).toString('base64')}`,
        },
      });
      expect(res.headers.get('x-broker-api-request-identity')).toBe('req-123');
    });
  });

  describe('catalog', () => {
    it('lists the offering and its plans with the 2.17 shape and CLI-friendly names', async () => {
      const res = await call('GET', '/v2/catalog');
      expect(res.status).toBe(200);
      expectOnly(res.body, FIELDS_2_17.catalog, 'the catalog');
      const services = res.body.services as Record<string, unknown>[];
      expect(services.length).toBeGreaterThan(0);
      expect(new Set(services.map((s) => s.name)).size).toBe(services.length);
      for (const s of services) {
        expectOnly(s, FIELDS_2_17.service, `service ${String(s.name)}`);
        expect(s).toEqual(
          expect.objectContaining({
            id: expect.any(String) as string,
            name: expect.stringMatching(/^[a-z0-9][a-z0-9.-]*$/) as string,
            description: expect.stringMatching(/\S/) as string,
            bindable: expect.any(Boolean) as boolean,
          }),
        );
        const plans = s.plans as Record<string, unknown>[];
        expect(plans.length).toBeGreaterThan(0);
        for (const p of plans) {
          expectOnly(p, FIELDS_2_17.plan, `plan ${String(p.name)}`);
          expect(p).toEqual(
            expect.objectContaining({
              id: expect.any(String) as string,
              name: expect.stringMatching(/^[a-z0-9][a-z0-9.-]*$/) as string,
              description: expect.stringMatching(/\S/) as string,
            }),
          );
        }
      }
      const mine = services.find((s) => s.id === target().serviceId);
      expect(mine).toBeDefined();
      const planIds = (mine?.plans as { id: string }[]).map((p) => p.id);
      expect(planIds).toEqual(expect.arrayContaining([target().planId, target().otherPlanId]));
    });

    it('leaves out fields newer than the version asked for (2.13)', async () => {
      const res = await call('GET', '/v2/catalog', { version: '2.13' });
      expect(res.status).toBe(200);
      for (const s of res.body.services as Record<string, unknown>[]) {
        for (const f of NEWER_THAN_2_13.service) expect(s).not.toHaveProperty(f);
        for (const p of s.plans as Record<string, unknown>[])
          for (const f of NEWER_THAN_2_13.plan) expect(p).not.toHaveProperty(f);
      }
    });
  });

  describe('requests it must refuse', () => {
    it('answers 400 to a malformed body, an unknown service_id or plan_id, missing fields', async () => {
      const id = randomUUID();
      const q = '?accepts_incomplete=true';
      expectError(await call('PUT', instancePath(id, q), { body: '{"service_id": ' }), 400);
      expectError(
        await call('PUT', instancePath(id, q), { body: { plan_id: target().planId } }),
        400,
      );
      expectError(
        await call('PUT', instancePath(id, q), {
          body: { ...provisionBody(target()), service_id: 'no-such-service' },
        }),
        400,
      );
      expectError(
        await call('PUT', instancePath(id, q), {
          body: { ...provisionBody(target()), plan_id: 'no-such-plan' },
        }),
        400,
      );
      // A 4xx leaves the broker unchanged: the instance was never made.
      expectError(await call('GET', instancePath(id, '/last_operation')), 404);
    });

    it('answers 400 naming the field to a malformed id in the URL, the body or the query', async () => {
      const t = target();
      const named = (res: OsbResponse, field: string) => {
        expectError(res, 400);
        expect(res.body.description).toContain(field);
      };
      for (const [, bad] of HOSTILE_IDS) {
        const e = encodeURIComponent(bad);
        named(
          await call('PUT', instancePath(e, '?accepts_incomplete=true'), {
            body: provisionBody(t),
          }),
          'instance_id',
        );
        named(
          await call('PATCH', instancePath(e), { body: { service_id: t.serviceId } }),
          'instance_id',
        );
        named(await call('GET', instancePath(e)), 'instance_id');
        named(await call('GET', instancePath(e, '/last_operation')), 'instance_id');
        named(await call('DELETE', instancePath(e, `?${ids(t)}`)), 'instance_id');
        const binding = (id: string, query = '') =>
          instancePath(randomUUID(), `/service_bindings/${id}${query}`);
        const bind = { service_id: t.serviceId, plan_id: t.planId };
        named(await call('PUT', binding(e), { body: bind }), 'binding_id');
        named(await call('GET', binding(e)), 'binding_id');
        named(await call('DELETE', binding(e, `?${ids(t)}`)), 'binding_id');
        named(
          await call('PUT', binding(randomUUID()), { body: { ...bind, app_guid: bad } }),
          'app_guid',
        );
        named(
          await call('DELETE', binding(randomUUID(), `?service_id=${e}&plan_id=${t.planId}`)),
          'service_id',
        );

        // A well-formed instance id with a malformed id in the body: nothing is made for it.
        const id = randomUUID();
        named(
          await call('PUT', instancePath(id, '?accepts_incomplete=true'), {
            body: { ...provisionBody(t), space_guid: bad },
          }),
          'space_guid',
        );
        expectError(await call('GET', instancePath(id, '/last_operation')), 404);
      }
    });

    it('answers last_operation of an unknown instance with 404', async () => {
      expectError(await call('GET', instancePath(randomUUID(), '/last_operation')), 404);
    });

    it('answers 410 to deprovisioning or unbinding what does not exist', async () => {
      const id = randomUUID();
      expectError(await call('DELETE', instancePath(id, `?${ids(target())}`)), 410);
      expectError(
        await call(
          'DELETE',
          instancePath(id, `/service_bindings/${randomUUID()}?${ids(target())}`),
        ),
        410,
      );
    });

    if (options.async) {
      it('answers 422 AsyncRequired to a provision without accepts_incomplete=true', async () => {
        const id = randomUUID();
        expectError(
          await call('PUT', instancePath(id), { body: provisionBody(target()) }),
          422,
          'AsyncRequired',
        );
        expectError(
          await call('PUT', instancePath(id, '?accepts_incomplete=false'), {
            body: provisionBody(target()),
          }),
          422,
          'AsyncRequired',
        );
      });
    }
  });

  describe('lifecycle', () => {
    const instanceId = randomUUID();
    const bindingId = randomUUID();
    const bindBody = () => ({
      service_id: target().serviceId,
      plan_id: target().planId,
      bind_resource: { app_guid: 'app-guid-conformance' },
      context: { platform: 'cloudfoundry' },
    });
    let credentials: unknown;

    it(`provisions (${options.async ? '202, polled to succeeded' : '201'}), then 200 for the same, 409 for other attributes`, async () => {
      const t = target();
      const path = instancePath(instanceId, '?accepts_incomplete=true');
      const first = await call('PUT', path, { body: provisionBody(t) });
      expectOnly(first.body, FIELDS_2_17.provision, 'the provision response');
      if (options.async) {
        expect(first.status).toBe(202);
        // While it runs, the same PUT is 202 again with the same operation (OSB: never 200).
        const again = await call('PUT', path, { body: provisionBody(t) });
        if (again.status === 202) expect(again.body.operation).toEqual(first.body.operation);
        else expect(again.status).toBe(200);
        const done = await pollLastOperation(call, t, instanceId, first.body.operation);
        expect(done.body.state).toBe('succeeded');
      } else {
        expect(first.status).toBe(201);
        const op = await call('GET', instancePath(instanceId, '/last_operation'));
        expect(op.status).toBe(200);
        expect(op.body.state).toBe('succeeded');
      }
      const identical = await call('PUT', path, { body: provisionBody(t) });
      expect(identical.status).toBe(200);
      expectOnly(identical.body, FIELDS_2_17.provision, 'the 200 provision response');
      expectError(await call('PUT', path, { body: provisionBody(t, t.otherPlanId) }), 409);
      expectError(
        await call('PUT', path, { body: { ...provisionBody(t), space_guid: 'another-space' } }),
        409,
      );
    });

    it('fetches the instance it provisioned (instances_retrievable)', async () => {
      const res = await call('GET', instancePath(instanceId));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ service_id: target().serviceId, plan_id: target().planId });
    });

    it('binds: 201 with credentials, 200 with the same for the same, 409 for another app', async () => {
      const path = instancePath(instanceId, `/service_bindings/${bindingId}`);
      const first = await call('PUT', path, { body: bindBody() });
      expect(first.status).toBe(201);
      expectOnly(first.body, FIELDS_2_17.binding, 'the bind response');
      expect(first.body.credentials).toEqual(expect.any(Object));
      credentials = first.body.credentials;
      const again = await call('PUT', path, { body: bindBody() });
      expect(again.status).toBe(200);
      expect(again.body.credentials).toEqual(credentials);
      expectError(
        await call('PUT', path, {
          body: { ...bindBody(), bind_resource: { app_guid: 'another-app' } },
        }),
        409,
      );
      const old = await call('PUT', path, { body: bindBody(), version: '2.13' });
      expect(old.status).toBe(200);
      for (const f of NEWER_THAN_2_13.binding) expect(old.body).not.toHaveProperty(f);
    });

    it('fetches the binding (bindings_retrievable)', async () => {
      const res = await call('GET', instancePath(instanceId, `/service_bindings/${bindingId}`));
      expect(res.status).toBe(200);
      expect(res.body.credentials).toEqual(credentials);
    });

    it('unbinds: 400 without service_id and plan_id, then 200 {}, then 410', async () => {
      const path = instancePath(instanceId, `/service_bindings/${bindingId}`);
      expectError(await call('DELETE', path), 400);
      const res = await call('DELETE', `${path}?${ids(target())}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({});
      expectError(await call('DELETE', `${path}?${ids(target())}`), 410);
      expectError(await call('GET', path), 404);
    });

    it('deprovisions: 200 {}, then 410, and last_operation no longer knows it', async () => {
      const res = await call(
        'DELETE',
        instancePath(instanceId, `?${ids(target())}&accepts_incomplete=true`),
      );
      expect(res.status).toBe(200);
      expect(res.body).toEqual({});
      expectError(await call('DELETE', instancePath(instanceId, `?${ids(target())}`)), 410);
      expectError(await call('GET', instancePath(instanceId, '/last_operation')), 404);
    });
  });
}
