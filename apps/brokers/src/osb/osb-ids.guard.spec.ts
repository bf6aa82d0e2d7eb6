import type { INestApplication } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { loadConfig } from '@wharf/platform/config';
import { BindingCreateAction } from '../actions/binding-create.action';
import { BindingDeleteAction } from '../actions/binding-delete.action';
import { BrokerQueryService } from '../actions/broker-query.service';
import { InstanceDeprovisionAction } from '../actions/instance-deprovision.action';
import { InstanceProvisionAction } from '../actions/instance-provision.action';
import { InstanceUpdateAction } from '../actions/instance-update.action';
import { configureBrokersApp } from '../configure-brokers-app';
import { OsbIdsGuard } from './osb-ids.guard';
import { ServiceBindingsController } from './service-bindings.controller';
import { ServiceInstancesController } from './service-instances.controller';

/**
 * The real controllers behind the real request pipeline (auth, version, body, guard, filter);
 * the actions behind them only record that they were reached, which for a malformed id they must
 * never be.
 */
describe('OsbIdsGuard', () => {
  let app: INestApplication;
  let url: string;
  const reached: string[] = [];
  const recorder = (name: string, methods: string[]) =>
    Object.fromEntries(
      methods.map((method) => [
        method,
        () => {
          reached.push(`${name}.${method}`);
          // Enough of an outcome, an instance or a binding for any controller to answer with.
          const binding = { credentials: {}, parameters: {}, resource: {} };
          return Promise.resolve({ status: 200, binding, endpoints: [], ...binding });
        },
      ]),
    );
  const config = loadConfig({
    WHARF_JWT_SECRET: 'x'.repeat(32),
    WHARF_BROKERS_USERNAME: 'broker',
    WHARF_BROKERS_PASSWORD: 'secret',
  });

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      controllers: [ServiceInstancesController, ServiceBindingsController],
      providers: [
        { provide: APP_GUARD, useClass: OsbIdsGuard },
        ...[
          InstanceProvisionAction,
          InstanceUpdateAction,
          InstanceDeprovisionAction,
          BindingCreateAction,
          BindingDeleteAction,
        ].map((cls) => ({ provide: cls, useValue: recorder(cls.name, ['execute']) })),
        {
          provide: BrokerQueryService,
          useValue: recorder('query', ['instance', 'lastOperation', 'binding']),
        },
      ],
    }).compile();
    app = moduleRef.createNestApplication({ bodyParser: false, logger: false });
    configureBrokersApp(app, config);
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
  });

  beforeEach(() => (reached.length = 0));

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: {
        'X-Broker-API-Version': '2.17',
        Authorization: `Basic ${Buffer.from('broker:secret').toString('base64')}`,
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  const good = '9f3c2a1e-5b7d-4c8e-a0f1-2b3c4d5e6f70';
  const ids = { service_id: 'svc', plan_id: 'plan' };
  const provision = { ...ids, organization_guid: 'org', space_guid: 'space' };
  /** Every route of the OSB API that takes ids, with the body or query it needs. */
  const routes = (instance: string, binding: string): [string, string, unknown?][] => {
    const i = `/v2/service_instances/${encodeURIComponent(instance)}`;
    const b = `${i}/service_bindings/${encodeURIComponent(binding)}`;
    const q = '?service_id=svc&plan_id=plan';
    return [
      ['PUT', `${i}?accepts_incomplete=true`, provision],
      ['PATCH', i, ids],
      ['DELETE', `${i}${q}`],
      ['GET', i],
      ['GET', `${i}/last_operation`],
      ['PUT', b, ids],
      ['DELETE', `${b}${q}`],
      ['GET', b],
    ];
  };

  it('lets well-formed ids through to every action', async () => {
    for (const [method, path, body] of routes(good, good)) {
      const res = await call(method, path, body);
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 200 });
    }
    expect(reached).toHaveLength(8);
  });

  it.each([
    ['a sed command', 'x;e touch /tmp/pwned'],
    ['a path', 'a/../b'],
    ['a newline', 'a\nb'],
    ['200 characters', 'x'.repeat(200)],
    ['userinfo', 'u:p@evil'],
    ['a space', 'a b'],
  ])('answers 400 naming the field for %s, on every route, reaching nothing', async (_, bad) => {
    for (const [method, path, body] of routes(bad, good)) {
      const res = await call(method, path, body);
      expect({ method, path, ...res }).toMatchObject({
        status: 400,
        body: {
          error: 'BadRequest',
          description: expect.stringMatching(
            /^Malformed instance_id: it must be 1 to 100/,
          ) as string,
        },
      });
    }
    for (const [method, path, body] of routes(good, bad).filter(([, p]) =>
      p.includes('bindings'),
    )) {
      const res = await call(method, path, body);
      expect({ method, path, ...res }).toMatchObject({
        status: 400,
        body: {
          error: 'BadRequest',
          description: expect.stringMatching(
            /^Malformed binding_id: it must be 1 to 100/,
          ) as string,
        },
      });
    }
    expect(reached).toEqual([]);
  });

  it('answers 400 for a malformed id in the body or query, reaching nothing', async () => {
    const i = `/v2/service_instances/${good}`;
    const res = await call('PUT', `${i}?accepts_incomplete=true`, {
      ...provision,
      space_guid: 'x;e touch /tmp/pwned',
    });
    expect(res).toMatchObject({
      status: 400,
      body: {
        error: 'BadRequest',
        description: expect.stringMatching(/space_guid: must be 1 to 100/) as string,
      },
    });
    const del = await call('DELETE', `${i}?service_id=a%0Ab&plan_id=plan`);
    expect(del.status).toBe(400);
    expect(del.body.description).toMatch(/service_id: must be 1 to 100/);
    expect(reached).toEqual([]);
  });

  it('still answers 401 before looking at ids', async () => {
    const res = await fetch(`${url}/v2/service_instances/${encodeURIComponent('a b')}`, {
      headers: { 'X-Broker-API-Version': '2.17' },
    });
    expect(res.status).toBe(401);
  });
});
