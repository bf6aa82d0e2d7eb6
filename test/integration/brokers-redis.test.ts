import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ContainerRuntimeFactory } from '@wharf/platform/runtime';
import {
  osbClient,
  osbConformance,
  provisionReady,
  type OsbTarget,
} from '../support/osb-conformance';
import { ServiceKeeper } from '../../apps/brokers/src/actions/service-keeper';
import { redisCommands } from '../support/resp-client';
import { serviceAddress } from '../support/service-address';
import {
  expectHostileIdsRefused,
  startTestBrokers,
  type TestBrokers,
} from '../support/test-brokers';

const REDIS = '750acff9-ae44-4baf-81bc-7cd5153e4cf4';
const SMALL = '28d042f0-8318-4566-9c91-d46b369814b5';
const MEDIUM = 'dbab5dfe-c8f3-41fd-b714-7daefda537bf';

interface RedisCredentials {
  host: string;
  port: number;
  username: string;
  password: string;
  uri: string;
}

let brokers: TestBrokers;
const target = (): OsbTarget => ({
  url: brokers.url,
  username: brokers.config.brokers.username,
  password: brokers.config.brokers.password,
  serviceId: REDIS,
  planId: SMALL,
  otherPlanId: MEDIUM,
  // The first provision builds wharf/service-redis from Debian packages.
  provisionTimeoutMs: 300_000,
});
const call = osbClient(target);
const runtime = () => new ContainerRuntimeFactory().forEndpoint(brokers.config.dockerHost);
const mine = () => ({ 'wharf.installation': brokers.config.installation });
/** The credentials' host as an app resolves it (its name in services.internal). */
const at = (host: string) => serviceAddress(brokers.config.apps.dns, host);

jest.setTimeout(360_000);

beforeAll(async () => {
  brokers = await startTestBrokers();
});

afterAll(async () => {
  await brokers?.close();
  if (!brokers) return;
  // Whatever a failed test left: this file's containers and volumes, by their label.
  const r = runtime();
  for (const c of await r.listContainers({ labels: mine(), all: true }))
    await r.removeContainer(c.id, { force: true });
  for (const v of await r.listVolumes({ labels: mine() })) await r.removeVolume(v.name);
});

describe('redis broker: OSB conformance', () => {
  osbConformance(target, { async: true });
});

describe('redis broker: the instance', () => {
  const ids = `service_id=${REDIS}&plan_id=${SMALL}`;
  const instanceId = randomUUID();
  let creds: RedisCredentials;

  beforeAll(async () => {
    await provisionReady(call, target(), instanceId);
    const res = await call(
      'PUT',
      `/v2/service_instances/${instanceId}/service_bindings/${randomUUID()}`,
      { body: { service_id: REDIS, plan_id: SMALL, bind_resource: { app_guid: randomUUID() } } },
    );
    expect(res.status).toBe(201);
    creds = res.body.credentials as RedisCredentials;
  });

  it('hands out host, port, a user of the binding and uri; the password is required', async () => {
    expect(creds).toEqual({
      host: expect.stringMatching(/^redis-[0-9a-f]{12}\.services\.internal$/) as string,
      port: 6379,
      password: expect.stringMatching(/^[A-Za-z0-9]{20,}$/) as string,
      username: expect.stringMatching(/^binding-/) as string,
      uri: `redis://${creds.username}:${creds.password}@${creds.host}:6379`,
    });
    expect(await redisCommands(await at(creds.host), creds.port, [['PING']])).toEqual([
      expect.stringMatching(/^-NOAUTH/) as string,
    ]);
    expect(
      await redisCommands(await at(creds.host), creds.port, [['AUTH', creds.username, 'wrong']]),
    ).toEqual([expect.stringMatching(/^-WRONGPASS/) as string]);
    expect(
      await redisCommands(await at(creds.host), creds.port, [
        ['AUTH', creds.username, creds.password],
        ['PING'],
      ]),
    ).toEqual(['+OK', '+PONG']);
  });

  it('answers 400 to malformed instance and binding ids: no record, no ACL user, nothing run', async () => {
    const [container] = await runtime().listContainers({
      labels: { ...mine(), 'wharf.service_instance_id': instanceId },
    });
    const id = container?.id ?? '';
    const aclUsers = async () =>
      (
        await runtime().exec(id, {
          cmd: [
            'bash',
            '-c',
            'REDISCLI_AUTH="$REDIS_PASSWORD" redis-cli ACL USERS; cat /data/users.acl',
          ],
        })
      ).stdout;
    const before = await aclUsers();
    expect(before).toContain(creds.username);
    const containers = (await runtime().listContainers({ labels: mine(), all: true })).length;
    await expectHostileIdsRefused(call, brokers, {
      instanceId,
      serviceId: REDIS,
      planId: SMALL,
      asynchronous: true,
    });
    expect(await aclUsers()).toBe(before);
    expect((await runtime().exec(id, { cmd: ['test', '-e', '/tmp/pwned'] })).exitCode).toBe(1);
    expect(await runtime().listContainers({ labels: mine(), all: true })).toHaveLength(containers);
  });

  it("runs on the installation's apps network with the plan's memory limit", async () => {
    const [container] = await runtime().listContainers({
      labels: { ...mine(), 'wharf.service_instance_id': instanceId },
    });
    expect(container?.state).toBe('running');
    // CONFIG is an @admin command: only the broker's own user may run it.
    const r = await runtime().exec(container?.id ?? '', {
      cmd: ['bash', '-c', 'REDISCLI_AUTH="$REDIS_PASSWORD" redis-cli config get maxmemory'],
    });
    expect(r.stdout.trim().split('\n')).toEqual(['maxmemory', String(64 * 1024 * 1024)]);
  });

  it('the keeper puts a removed container back on its volume, under the same name: data and users kept', async () => {
    const r = runtime();
    await redisCommands(await at(creds.host), creds.port, [
      ['AUTH', creds.username, creds.password],
      ['SET', 'greeting', 'kept'],
    ]);
    const labels = { ...mine(), 'wharf.service_instance_id': instanceId };
    const [before] = await r.listContainers({ labels });
    if (!before) throw new Error('no redis container');
    const keeper = brokers.app.get(ServiceKeeper);
    expect((await keeper.keep(instanceId))?.repaired).toBeNull();

    await r.removeContainer(before.id, { force: true });
    const kept = await keeper.keep(instanceId);
    expect(kept).toEqual({
      name: creds.host,
      ip: expect.any(String) as string,
      repaired: 'created',
    });
    const [after] = await r.listContainers({ labels });
    expect(after?.id).not.toBe(before.id);
    expect(after?.state).toBe('running');
    // The binding's credentials, unchanged, reach the new container through the name.
    const replies = await redisCommands(
      await serviceAddress(brokers.config.apps.dns, creds.host, kept?.ip),
      creds.port,
      [
        ['AUTH', creds.username, creds.password],
        ['GET', 'greeting'],
      ],
    );
    expect(replies).toEqual(['+OK', 'kept']);

    // Stopped by hand: started again, same container.
    await r.stopContainer(after?.id ?? '', 5);
    expect((await keeper.keep(instanceId))?.repaired).toBe('started');
    expect((await r.listContainers({ labels }))[0]).toMatchObject({
      id: after?.id,
      state: 'running',
    });
    expect(
      await redisCommands(await at(creds.host), creds.port, [
        ['AUTH', creds.username, creds.password],
        ['GET', 'greeting'],
      ]),
    ).toEqual(['+OK', 'kept']);
  });

  it("unbind deletes the binding's user: its password stops working, other bindings keep theirs", async () => {
    const bind = (id: string) =>
      call('PUT', `/v2/service_instances/${instanceId}/service_bindings/${id}`, {
        body: { service_id: REDIS, plan_id: SMALL, bind_resource: { app_guid: randomUUID() } },
      });
    const [a, b] = [randomUUID(), randomUUID()];
    const credsA = (await bind(a)).body.credentials as RedisCredentials;
    const credsB = (await bind(b)).body.credentials as RedisCredentials;
    expect(credsA.username).not.toBe(credsB.username);
    const auth = async (c: RedisCredentials) =>
      redisCommands(await at(c.host), c.port, [
        ['AUTH', c.username, c.password],
        ['GET', 'greeting'],
      ]);
    expect(await auth(credsA)).toEqual(['+OK', 'kept']);
    const res = await call(
      'DELETE',
      `/v2/service_instances/${instanceId}/service_bindings/${a}?${ids}`,
    );
    expect(res.status).toBe(200);
    expect((await auth(credsA))[0]).toMatch(/^-WRONGPASS/);
    expect(await auth(credsB)).toEqual(['+OK', 'kept']);
    // The admin commands stay the broker's.
    expect(
      (
        await redisCommands(await at(credsB.host), credsB.port, [
          ['AUTH', credsB.username, credsB.password],
          ['CONFIG', 'GET', 'maxmemory'],
        ])
      )[1],
    ).toMatch(/^-NOPERM/);
  });

  it('deprovision removes the container and its volume', async () => {
    const res = await call('DELETE', `/v2/service_instances/${instanceId}?${ids}`);
    expect(res.status).toBe(200);
    const r = runtime();
    expect(
      await r.listContainers({ labels: { ...mine(), 'wharf.service_instance_id': instanceId } }),
    ).toEqual([]);
    const volumes = await r.listVolumes({ labels: mine() });
    expect(volumes.filter((v) => v.labels['wharf.service_instance_id'] === instanceId)).toEqual([]);
    // Its name is gone from services.internal.
    const hosts = readFileSync(
      join(brokers.config.apps.discoveryHostsDir, 'services.internal'),
      'utf8',
    );
    expect(hosts).not.toContain(creds.host);
  });
});
