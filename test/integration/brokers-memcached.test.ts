import { randomUUID } from 'node:crypto';
import { ContainerRuntimeFactory } from '@wharf/platform/runtime';
import { memcachedSession } from '../support/memcached-client';
import {
  osbClient,
  osbConformance,
  provisionReady,
  type OsbTarget,
} from '../support/osb-conformance';
import { startTestBrokers, type TestBrokers } from '../support/test-brokers';

const MEMCACHED = '50ae9c96-f49e-4d0c-941f-0d881f59396d';
const SMALL = '4cc2d87a-5d96-445a-a782-fa7ffc4de913';
const MEDIUM = '5f8273c8-df4b-4b37-ad69-5d2bb5131bee';

interface MemcachedCredentials {
  host: string;
  port: number;
  servers: string[];
}

let brokers: TestBrokers;
const target = (): OsbTarget => ({
  url: brokers.url,
  username: brokers.config.brokers.username,
  password: brokers.config.brokers.password,
  serviceId: MEMCACHED,
  planId: SMALL,
  otherPlanId: MEDIUM,
  // The first provision builds wharf/service-memcached from Debian packages.
  provisionTimeoutMs: 300_000,
});
const call = osbClient(target);
const runtime = () => new ContainerRuntimeFactory().forEndpoint(brokers.config.dockerHost);
const mine = () => ({ 'wharf.installation': brokers.config.installation });

jest.setTimeout(360_000);

beforeAll(async () => {
  brokers = await startTestBrokers();
});

afterAll(async () => {
  await brokers?.close();
  if (!brokers) return;
  // Whatever a failed test left: this file's containers, by their label.
  const r = runtime();
  for (const c of await r.listContainers({ labels: mine(), all: true }))
    await r.removeContainer(c.id, { force: true });
});

describe('memcached broker: OSB conformance', () => {
  osbConformance(target, { async: true });
});

describe('memcached broker: the instance', () => {
  const instanceId = randomUUID();
  let creds: MemcachedCredentials;

  beforeAll(async () => {
    await provisionReady(call, target(), instanceId);
    const res = await call(
      'PUT',
      `/v2/service_instances/${instanceId}/service_bindings/${randomUUID()}`,
      {
        body: { service_id: MEMCACHED, plan_id: SMALL, bind_resource: { app_guid: randomUUID() } },
      },
    );
    expect(res.status).toBe(201);
    creds = res.body.credentials as MemcachedCredentials;
  });

  it('hands out host, port and servers, and the server stores and returns values', async () => {
    expect(creds).toEqual({
      host: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/) as string,
      port: 11211,
      servers: [`${creds.host}:11211`],
    });
    const stored = await memcachedSession(
      creds.host,
      creds.port,
      'set greeting 0 0 5\r\nhello\r\nget greeting\r\n',
      /END\r\n$/,
    );
    expect(stored).toBe('STORED\r\nVALUE greeting 0 5\r\nhello\r\nEND\r\n');
  });

  it("caches as much as the plan says (limit_maxbytes) on the installation's network", async () => {
    const stats = await memcachedSession(creds.host, creds.port, 'stats settings\r\n', /END\r\n$/);
    expect(stats).toContain(`STAT maxbytes ${64 * 1024 * 1024}\r\n`);
    const [container] = await runtime().listContainers({
      labels: { ...mine(), 'wharf.service_instance_id': instanceId },
    });
    expect(container?.labels).toMatchObject({
      'wharf.service': 'memcached',
      'wharf.managed': 'true',
    });
  });

  it('deprovision removes the container', async () => {
    const res = await call(
      'DELETE',
      `/v2/service_instances/${instanceId}?service_id=${MEMCACHED}&plan_id=${SMALL}`,
    );
    expect(res.status).toBe(200);
    expect(
      await runtime().listContainers({
        labels: { ...mine(), 'wharf.service_instance_id': instanceId },
      }),
    ).toEqual([]);
    await expect(
      memcachedSession(creds.host, creds.port, 'version\r\n', /\r\n$/),
    ).rejects.toThrow();
  });
});
