import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the broker received, for tests to assert on. */
export interface BrokerRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/**
 * How a plan of the fixture broker behaves. Every behaviour is a real HTTP answer (or a real
 * silence), so the platform's client, timeouts and orphan mitigation are exercised for real.
 */
export type PlanBehaviour =
  /** 201 at once. */
  | 'sync'
  /** 202, then `in progress` for `polls` polls, then `succeeded` (also for update and delete). */
  | 'async'
  /** 202, then `failed` after `polls` polls. */
  | 'async-fails'
  /** Provision answers 500. */
  | 'provision-500'
  /** Provision answers 201 with a body that is not JSON. */
  | 'provision-garbage'
  /** Provision answers 400 (a 4xx: nothing was created, no orphan mitigation). */
  | 'provision-400'
  /** Bind never answers (the platform's timeout fires). */
  | 'bind-hangs'
  /** Bind answers 500. */
  | 'bind-500';

export const FIXTURE_SERVICE_ID = 'fixture-db-service';

export interface FixtureBroker {
  url: string;
  username: string;
  password: string;
  requests: BrokerRequest[];
  /** What the broker holds now (ids of instances and bindings it created and did not delete). */
  instances: Map<string, { planId: string; parameters: unknown }>;
  bindings: Map<string, { instanceId: string; credentials: Record<string, unknown> }>;
  /** Replace the catalog's answer: an object is served as JSON, a string as is. */
  catalogOverride: unknown;
  close(): Promise<void>;
}

const PLANS: { id: string; name: string; behaviour: PlanBehaviour; schema?: object }[] = [
  { id: 'plan-sync', name: 'sync', behaviour: 'sync' },
  {
    id: 'plan-schema',
    name: 'sized',
    behaviour: 'sync',
    schema: {
      $schema: 'http://json-schema.org/draft-04/schema#',
      type: 'object',
      properties: { size: { type: 'integer', minimum: 1, maximum: 10 } },
      required: ['size'],
      additionalProperties: false,
    },
  },
  { id: 'plan-async', name: 'async', behaviour: 'async' },
  { id: 'plan-async-fails', name: 'async-fails', behaviour: 'async-fails' },
  { id: 'plan-500', name: 'provision-500', behaviour: 'provision-500' },
  { id: 'plan-garbage', name: 'provision-garbage', behaviour: 'provision-garbage' },
  { id: 'plan-400', name: 'provision-400', behaviour: 'provision-400' },
  { id: 'plan-bind-hangs', name: 'bind-hangs', behaviour: 'bind-hangs' },
  { id: 'plan-bind-500', name: 'bind-500', behaviour: 'bind-500' },
];

export function fixtureCatalog(): Record<string, unknown> {
  return {
    services: [
      {
        id: FIXTURE_SERVICE_ID,
        name: 'fixture-db',
        description: 'A fixture database for tests',
        bindable: true,
        plan_updateable: true,
        tags: ['fixture', 'sql'],
        metadata: { displayName: 'Fixture DB' },
        plans: PLANS.map((p) => ({
          id: p.id,
          name: p.name,
          description: `behaves: ${p.behaviour}`,
          free: true,
          ...(p.schema
            ? {
                schemas: {
                  service_instance: {
                    create: { parameters: p.schema },
                    update: { parameters: p.schema },
                  },
                  service_binding: { create: { parameters: {} } },
                },
              }
            : {}),
        })),
      },
    ],
  };
}

/**
 * An Open Service Broker (v2.17) for tests: Basic auth and the version header enforced, a catalog
 * whose plans each misbehave in one way, and every request recorded. `polls`: how many
 * `in progress` answers an asynchronous operation gives before it ends.
 */
export async function startFixtureBroker(options: { polls?: number } = {}): Promise<FixtureBroker> {
  const polls = options.polls ?? 2;
  const username = 'broker-user';
  const password = 'broker-secret-password';
  const requests: BrokerRequest[] = [];
  const instances = new Map<string, { planId: string; parameters: unknown }>();
  const bindings = new Map<string, { instanceId: string; credentials: Record<string, unknown> }>();
  /** Operation id → polls left and how it ends. */
  const operations = new Map<
    string,
    { left: number; ends: 'succeeded' | 'failed'; onDone?: () => void }
  >();
  const hanging: ServerResponse[] = [];
  let opCounter = 0;

  const broker: FixtureBroker = {
    url: '',
    username,
    password,
    requests,
    instances,
    bindings,
    catalogOverride: undefined,
    close: async () => {
      for (const res of hanging) res.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const json = (
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const behaviourOf = (planId: unknown) => PLANS.find((p) => p.id === planId)?.behaviour;
  const startOperation = (ends: 'succeeded' | 'failed', onDone?: () => void) => {
    const id = `op-${++opCounter}`;
    operations.set(id, { left: polls, ends, onDone });
    return id;
  };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const url = new URL(req.url ?? '/', 'http://broker');
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    requests.push({
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
    });
    if (!req.headers['x-broker-api-version'])
      return json(res, 412, {
        error: 'PreconditionFailed',
        description: 'X-Broker-API-Version is required',
      });
    const expected = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    if (req.headers.authorization !== expected) return json(res, 401, {});
    const b = (body ?? {}) as Record<string, unknown>;
    const parts = url.pathname.split('/').filter(Boolean); // v2, service_instances, iid, …
    if (url.pathname === '/v2/catalog') {
      if (typeof broker.catalogOverride === 'string') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(broker.catalogOverride);
      }
      return json(res, 200, broker.catalogOverride ?? fixtureCatalog());
    }
    if (parts[0] !== 'v2' || parts[1] !== 'service_instances' || !parts[2])
      return json(res, 404, { description: 'no such endpoint' });
    const iid = parts[2];
    const asyncOk = url.searchParams.get('accepts_incomplete') === 'true';
    // Polling: instance or binding last_operation.
    if (parts[parts.length - 1] === 'last_operation' && req.method === 'GET') {
      const op = operations.get(url.searchParams.get('operation') ?? '');
      if (!op) return json(res, 410, {});
      if (op.left > 0) {
        op.left--;
        return json(
          res,
          200,
          { state: 'in progress', description: `working (${op.left} to go)` },
          { 'retry-after': '1' },
        );
      }
      op.onDone?.();
      op.onDone = undefined;
      return json(res, 200, {
        state: op.ends,
        description: op.ends === 'failed' ? 'the fixture was told to fail' : 'done',
      });
    }
    if (parts[3] === 'service_bindings' && parts[4]) {
      const bid = parts[4];
      const instance = instances.get(iid);
      if (req.method === 'PUT') {
        if (!instance) return json(res, 404, { description: 'no such instance' });
        const behaviour = behaviourOf(instance.planId);
        if (behaviour === 'bind-hangs') {
          hanging.push(res);
          return;
        }
        if (behaviour === 'bind-500')
          return json(res, 500, { error: 'Boom', description: 'bind exploded' });
        const credentials = {
          uri: `fixture://user-${bid.slice(0, 8)}:pw-${bid.slice(-8)}@fixture-host:5432/${iid.slice(0, 8)}`,
          username: `user-${bid.slice(0, 8)}`,
          password: `pw-${bid.slice(-8)}`,
        };
        if (bindings.has(bid))
          return json(res, 200, { credentials: bindings.get(bid)?.credentials });
        if (behaviour === 'async' && asyncOk) {
          const operation = startOperation('succeeded', () =>
            bindings.set(bid, { instanceId: iid, credentials }),
          );
          return json(res, 202, { operation });
        }
        bindings.set(bid, { instanceId: iid, credentials });
        return json(res, 201, { credentials });
      }
      if (req.method === 'GET') {
        const binding = bindings.get(bid);
        return binding ? json(res, 200, { credentials: binding.credentials }) : json(res, 404, {});
      }
      if (req.method === 'DELETE') {
        if (!bindings.has(bid)) return json(res, 410, {});
        bindings.delete(bid);
        return json(res, 200, {});
      }
    }
    if (req.method === 'PUT') {
      const behaviour = behaviourOf(b.plan_id);
      if (b.service_id !== FIXTURE_SERVICE_ID || !behaviour)
        return json(res, 400, { error: 'BadRequest', description: 'unknown service or plan' });
      if (behaviour === 'provision-500') {
        instances.set(iid, { planId: String(b.plan_id), parameters: b.parameters });
        return json(res, 500, { error: 'Boom', description: 'provision exploded' });
      }
      if (behaviour === 'provision-garbage') {
        instances.set(iid, { planId: String(b.plan_id), parameters: b.parameters });
        res.writeHead(201, { 'content-type': 'application/json' });
        return res.end('<html>this is not json</html>');
      }
      if (behaviour === 'provision-400')
        return json(res, 400, { error: 'BadRequest', description: 'no, thanks' });
      const existing = instances.get(iid);
      if (existing) return existing.planId === b.plan_id ? json(res, 200, {}) : json(res, 409, {});
      if (behaviour === 'async' || behaviour === 'async-fails') {
        if (!asyncOk) return json(res, 422, { error: 'AsyncRequired', description: 'async only' });
        const fails = behaviour === 'async-fails';
        const operation = startOperation(fails ? 'failed' : 'succeeded', () => {
          if (!fails) instances.set(iid, { planId: String(b.plan_id), parameters: b.parameters });
        });
        return json(res, 202, { operation }, { 'retry-after': '1' });
      }
      instances.set(iid, { planId: String(b.plan_id), parameters: b.parameters });
      return json(res, 201, { dashboard_url: `http://fixture/dashboard/${iid}` });
    }
    if (req.method === 'PATCH') {
      const instance = instances.get(iid);
      if (!instance) return json(res, 404, {});
      const target = typeof b.plan_id === 'string' ? b.plan_id : instance.planId;
      if (behaviourOf(instance.planId) === 'async' && asyncOk) {
        const operation = startOperation('succeeded', () => {
          instances.set(iid, { planId: target, parameters: b.parameters ?? instance.parameters });
        });
        return json(res, 202, { operation });
      }
      instances.set(iid, { planId: target, parameters: b.parameters ?? instance.parameters });
      return json(res, 200, {});
    }
    if (req.method === 'DELETE') {
      const instance = instances.get(iid);
      if (!instance) return json(res, 410, {});
      if (behaviourOf(instance.planId) === 'async' && asyncOk) {
        const operation = startOperation('succeeded', () => instances.delete(iid));
        return json(res, 202, { operation });
      }
      instances.delete(iid);
      return json(res, 200, {});
    }
    return json(res, 404, {});
  };

  const server: Server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (raw += c));
    req.on('end', () => handle(req, res, raw));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  broker.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return broker;
}
