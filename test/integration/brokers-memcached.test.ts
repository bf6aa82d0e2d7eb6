import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ContainerRuntimeFactory } from '@wharf/platform/runtime';
import { memcachedSession } from '../support/memcached-client';
import {
  osbClient,
  osbConformance,
  provisionReady,
  type OsbTarget,
} from '../support/osb-conformance';
import { serviceAddress } from '../support/service-address';
import {
  expectHostileIdsRefused,
  startTestBrokers,
  type TestBrokers,
} from '../support/test-brokers';

const MEMCACHED = '50ae9c96-f49e-4d0c-941f-0d881f59396d';
const SMALL = '4cc2d87a-5d96-445a-a782-fa7ffc4de913';
const MEDIUM = '5f8273c8-df4b-4b37-ad69-5d2bb5131bee';

interface MemcachedCredentials {
  host: string;
  port: number;
  servers: string[];
  username: string;
  password: string;
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
  /** The credentials' host as an app resolves it (its name in services.internal). */
  let ip: string;

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
    ip = await serviceAddress(brokers.config.apps.dns, creds.host);
  });

  /** A session authenticated as the binding's user (the text protocol's first `set`). */
  const authed = (c: MemcachedCredentials, request: string, until: RegExp) => {
    const login = `${c.username} ${c.password}`;
    return memcachedSession(
      ip,
      c.port,
      `set auth 0 0 ${Buffer.byteLength(login)}\r\n${login}\r\n${request}`,
      until,
    );
  };

  it('hands out host, port, servers and a user of the binding; nothing works without it', async () => {
    expect(creds).toEqual({
      host: expect.stringMatching(/^memcached-[0-9a-f]{12}\.services\.internal$/) as string,
      port: 11211,
      servers: [`${creds.host}:11211`],
      username: expect.stringMatching(/^binding-/) as string,
      password: expect.stringMatching(/^[A-Za-z0-9]{20,}$/) as string,
    });
    expect(await memcachedSession(ip, creds.port, 'get greeting\r\n', /\r\n$/)).toBe(
      'CLIENT_ERROR unauthenticated\r\n',
    );
    const stored = await authed(
      creds,
      'set greeting 0 0 5\r\nhello\r\nget greeting\r\n',
      /END\r\n$/,
    );
    expect(stored).toBe('STORED\r\nSTORED\r\nVALUE greeting 0 5\r\nhello\r\nEND\r\n');
  });

  it("writes the auth file from the broker, as memcached's user and readable by it alone", async () => {
    const [container] = await runtime().listContainers({
      labels: { ...mine(), 'wharf.service_instance_id': instanceId },
    });
    const r = await runtime().exec(container?.id ?? '', {
      cmd: ['stat', '-c', '%U:%G %a', '/data/auth.users'],
    });
    expect(r.stdout.trim()).toBe('memcache:memcache 600');
    const users = await runtime().exec(container?.id ?? '', { cmd: ['cat', '/data/auth.users'] });
    expect(users.stdout).toContain(`\n${creds.username}:${creds.password}\n`);
  });

  it('answers 400 to malformed instance and binding ids: no record, no user, nothing run', async () => {
    const [container] = await runtime().listContainers({
      labels: { ...mine(), 'wharf.service_instance_id': instanceId },
    });
    const id = container?.id ?? '';
    const users = async () =>
      (await runtime().exec(id, { cmd: ['cat', '/data/auth.users'] })).stdout;
    const before = await users();
    const containers = (await runtime().listContainers({ labels: mine(), all: true })).length;
    await expectHostileIdsRefused(call, brokers, {
      instanceId,
      serviceId: MEMCACHED,
      planId: SMALL,
      asynchronous: true,
    });
    expect(await users()).toBe(before);
    expect((await runtime().exec(id, { cmd: ['test', '-e', '/tmp/pwned'] })).exitCode).toBe(1);
    expect(await runtime().listContainers({ labels: mine(), all: true })).toHaveLength(containers);
  });

  it("caches as much as the plan says (limit_maxbytes) on the installation's network", async () => {
    const stats = await authed(creds, 'stats settings\r\n', /END\r\n$/);
    expect(stats).toContain(`STAT maxbytes ${64 * 1024 * 1024}\r\n`);
    const [container] = await runtime().listContainers({
      labels: { ...mine(), 'wharf.service_instance_id': instanceId },
    });
    expect(container?.labels).toMatchObject({
      'wharf.service': 'memcached',
      'wharf.managed': 'true',
    });
  });

  it("unbind removes the binding's user; other bindings keep theirs", async () => {
    const bind = async (id: string) =>
      (
        await call('PUT', `/v2/service_instances/${instanceId}/service_bindings/${id}`, {
          body: {
            service_id: MEMCACHED,
            plan_id: SMALL,
            bind_resource: { app_guid: randomUUID() },
          },
        })
      ).body.credentials as MemcachedCredentials;
    const [a, b] = [randomUUID(), randomUUID()];
    const credsA = await bind(a);
    const credsB = await bind(b);
    const get = (c: MemcachedCredentials) =>
      authed(c, 'get greeting\r\n', /(END|ERROR[^\n]*)\r\n$/);
    expect(await get(credsA)).toBe('STORED\r\nVALUE greeting 0 5\r\nhello\r\nEND\r\n');
    const res = await call(
      'DELETE',
      `/v2/service_instances/${instanceId}/service_bindings/${a}?service_id=${MEMCACHED}&plan_id=${SMALL}`,
    );
    expect(res.status).toBe(200);
    // memcached re-reads its users within about a second.
    let answer = '';
    for (let i = 0; i < 30; i++) {
      answer = await get(credsA);
      if (!answer.includes('VALUE greeting')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(answer).toMatch(/CLIENT_ERROR/);
    expect(answer).not.toContain('VALUE greeting');
    expect(await get(credsB)).toBe('STORED\r\nVALUE greeting 0 5\r\nhello\r\nEND\r\n');
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
    await expect(memcachedSession(ip, creds.port, 'version\r\n', /\r\n$/)).rejects.toThrow();
    // Its name is gone from services.internal.
    const hosts = readFileSync(
      join(brokers.config.apps.discoveryHostsDir, 'services.internal'),
      'utf8',
    );
    expect(hosts).not.toContain(creds.host);
  });
});
