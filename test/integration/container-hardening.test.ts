import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { connect, createServer, Server } from 'node:net';
import { buildVcapApplication } from '@wharf/apps';
import type { WharfConfig } from '@wharf/platform/config';
import { ContainerRuntime, createContainerRuntime } from '@wharf/platform/runtime';
import { instanceContainerSpec, spaceNetwork } from '@wharf/scheduling';
import { BROKER_SERVICES } from '../../apps/brokers/src/catalog/broker-catalog';
import {
  type ContainerServiceDefinition,
  serviceContainerSpec,
} from '../../apps/brokers/src/drivers/container-service.driver';
import { testConfig } from '../support/test-env';

/**
 * Issue 6, items 5 and 6: an app instance's container (made from the scheduler's own spec, on its
 * space's network, on the engine `npm test` starts) is unprivileged and fenced off from the
 * platform and from other spaces, yet reaches its own space, the service containers, its DNS and
 * the router. What `npm run up` sets up for this: the remapped engine (services.sh,
 * ensure_docker), the firewall of the apps, staging and space networks (ensure_firewall), dnsmasq
 * answering the shared domain and HAProxy listening on the apps network's gateway.
 *
 * The cast: `id` (the hardening subject) and `neighbour` in space A, `stranger` in space B, and
 * `service` on the apps network where the built-in brokers put redis and memcached (made from the
 * brokers' own spec). All but `id` serve HTTP on 8080.
 */
const config: WharfConfig = testConfig();
const run = randomBytes(4).toString('hex');
const labels = { 'wharf.installation': config.installation, 'wharf.test-run': run };
const spaceA = randomUUID();
const spaceB = randomUUID();
let runtime: ContainerRuntime;
let id: string;
let neighbour: string;
let stranger: string;
let service: string;
const ip: Record<string, string> = {};
let gateway: string;
let hostListener: Server;

const portOf = (url: string, fallback: number) => Number(new URL(url).port || fallback);

/** A shell line in a container (the hardening subject unless named); exit code and output. */
async function sh(script: string, user?: string, container = id) {
  return runtime.exec(container, { cmd: ['bash', '-c', script], ...(user ? { user } : {}) });
}

/** For each name, `open` or `closed`: a TCP connection from inside a container to host:port. */
async function connectAll(
  targets: Record<string, [string, number]>,
  from = id,
): Promise<Record<string, string>> {
  const lines = Object.entries(targets).map(
    ([name, [host, port]]) =>
      `timeout 3 bash -c 'exec 3<>/dev/tcp/${host}/${port}' 2>/dev/null && echo "${name}=open" || echo "${name}=closed"`,
  );
  const r = await sh(lines.join('\n'), undefined, from);
  const seen = r.stdout
    .trim()
    .split('\n')
    .map((l): [string, string] => {
      const [name = '', state = ''] = l.split('=');
      return [name, state];
    });
  return Object.fromEntries(seen);
}

/** A space's network as the scheduler makes it, labelled for removal by this test too. */
async function networkOf(space: string): Promise<string> {
  const ref = spaceNetwork(config.installation, config.apps.spaceBridgePrefix, space);
  await runtime.ensureNetwork({
    name: ref.name,
    labels: { ...ref.labels, ...labels },
    bridgeName: ref.bridgeName,
  });
  return ref.name;
}

/** An instance container from the scheduler's spec running `script` (no droplet launcher). */
async function instance(name: string, space: string, script: string): Promise<string> {
  const app = { guid: randomUUID(), name: `${name}-${run}` };
  const proc = { guid: randomUUID(), type: 'web', memoryInMb: 64, diskInMb: 64 };
  const spec = instanceContainerSpec({
    installation: config.installation,
    app: { ...app, spaceGuid: space },
    process: proc,
    instance: { guid: randomUUID(), index: 0 },
    dropletGuid: randomUUID(),
    image: `wharf/stack-run:${config.stack}`,
    command: 'sleep 600',
    host: { ip: '127.0.0.1', port: 0 },
    network: { name: await networkOf(space), dns: config.apps.dns },
    env: {
      runningEnv: {},
      environmentVariables: {},
      // As the scheduler builds it for a running process: its limits are the container's.
      vcapApplication: buildVcapApplication({
        app,
        space: { guid: space, name: 'space' },
        organization: { guid: randomUUID(), name: 'org' },
        cfApi: config.api.url,
        uris: [],
        process: { guid: proc.guid, type: proc.type, memoryMb: 64, diskMb: 64, version: '1' },
      }),
      vcapServices: {},
    },
  });
  // The scheduler's spec as it is, but no launcher (that lives in droplet images) and labels
  // this test removes by.
  const created = await runtime.createContainer({
    ...spec,
    cmd: ['-c', script],
    labels: { ...spec.labels, ...labels },
  });
  await runtime.startContainer(created);
  ip[created] = (await runtime.inspectContainer(created))?.ipAddress ?? '';
  return created;
}

const HTTP_SERVER = 'exec python3 -m http.server 8080 --bind 0.0.0.0 --directory /tmp';

/**
 * A service for the brokers' container spec: an HTTP server on the stack image, as vcap (the
 * stack image has no redis or memcache user), instead of a service image built from Debian
 * packages. Everything else (capabilities, privileges, limits, network) is the driver's.
 */
const httpService: ContainerServiceDefinition = {
  // The name only appears in the container's name.
  service: 'memcached',
  dockerfile: '',
  port: 8080,
  user: '2000:2000',
  secrets: () => ({}),
  command: () => ['bash', '-c', HTTP_SERVER],
  env: () => ({}),
  readyCheck: () => ['true'],
  credentials: () => ({}),
};

/** The service container as the brokers' driver specifies it, with the catalog's smallest plan. */
function serviceSpec() {
  const plan = BROKER_SERVICES.find((s) => s.name === 'memcached')?.plans[0];
  if (!plan) throw new Error('the catalog has no memcached plan');
  return serviceContainerSpec(httpService, {
    installation: config.installation,
    network: config.apps.network,
    instanceId: randomUUID(),
    secrets: {},
    plan,
    image: `wharf/stack-run:${config.stack}`,
    labels: { ...labels, 'wharf.managed': 'true', 'wharf.service': 'test' },
    volume: null,
  });
}

beforeAll(async () => {
  expect(config.apps.network).not.toBe('');
  expect(config.apps.spaceBridgePrefix).not.toBe('');
  runtime = createContainerRuntime(config.dockerHost);
  id = await instance('hardening', spaceA, 'sleep 600');
  neighbour = await instance('neighbour', spaceA, HTTP_SERVER);
  stranger = await instance('stranger', spaceB, HTTP_SERVER);
  // Where and how the built-in brokers run a service container: the driver's own spec.
  service = await runtime.createContainer(serviceSpec());
  await runtime.startContainer(service);
  ip[service] = (await runtime.inspectContainer(service))?.ipAddress ?? '';
  for (const c of [neighbour, stranger, service]) {
    expect(ip[c]).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    // The HTTP servers are up before any probe counts on them.
    await waitListening(ip[c] ?? '', 8080);
  }
  gateway = execFileSync(
    'docker',
    [
      '-H',
      config.dockerHost,
      'network',
      'inspect',
      config.apps.network,
      '-f',
      '{{(index .IPAM.Config 0).Gateway}}',
    ],
    { encoding: 'utf8' },
  ).trim();
  // A listener on every address of the host, as a PostgreSQL with listen_addresses='*' or a
  // Docker API on tcp://0.0.0.0:2375 would be: only the firewall keeps the container out.
  hostListener = createServer((s) => s.end('hello\n'));
  await new Promise<void>((resolve) => hostListener.listen(0, '0.0.0.0', resolve));
}, 90_000);

afterAll(async () => {
  hostListener?.close();
  for (const c of await runtime.listContainers({ labels, all: true }))
    await runtime.removeContainer(c.id, { force: true });
  for (const n of await runtime.listNetworks({ labels })) await runtime.removeNetwork(n.name);
});

/** Connects from this host (as HAProxy and the health checks do) until host:port answers. */
async function waitListening(host: string, port: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host, port, timeout: 1000 });
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
      s.once('timeout', () => (s.destroy(), resolve(false)));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${host}:${port} does not answer from the host`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('an app instance container', () => {
  it('runs as vcap, without capabilities, and cannot gain privileges', async () => {
    expect((await sh('id -u')).stdout.trim()).toBe('2000');
    const status = (await sh('cat /proc/self/status')).stdout;
    expect(status).toMatch(/^CapEff:\s+0000000000000000$/m);
    expect(status).toMatch(/^NoNewPrivs:\s+1$/m);
  });

  it("is root only in its own user namespace: container root's files belong to an unprivileged host uid", async () => {
    const made = await sh('touch /tmp/made-by-root && stat -c %u /tmp/made-by-root', '0');
    expect(made.exitCode).toBe(0);
    expect(made.stdout.trim()).toBe('0');
    const pid = execFileSync(
      'docker',
      ['-H', config.dockerHost, 'inspect', '-f', '{{.State.Pid}}', id],
      {
        encoding: 'utf8',
      },
    ).trim();
    const owner = statSync(`/proc/${pid}/root/tmp/made-by-root`).uid;
    // dockremap's subordinate range (100000 and up on Debian), never a uid of the host's users.
    expect(owner).toBeGreaterThanOrEqual(65536);
    // The container's root in the host's eyes: no capability there either.
    const hostStatus = execFileSync('cat', [`/proc/${pid}/status`], { encoding: 'utf8' });
    expect(hostStatus).toMatch(/^Uid:\s+102000\s/m);
  });

  it('has memory without swap, pids and CPU shares limits, and no Docker socket', async () => {
    const host = JSON.parse(
      execFileSync(
        'docker',
        ['-H', config.dockerHost, 'inspect', '-f', '{{json .HostConfig}}', id],
        {
          encoding: 'utf8',
        },
      ),
    ) as {
      Memory: number;
      MemorySwap: number;
      PidsLimit: number;
      CpuShares: number;
      Binds: unknown;
      Mounts: unknown;
    };
    expect(host).toEqual(
      expect.objectContaining({
        Memory: 64 * 1024 * 1024,
        MemorySwap: 64 * 1024 * 1024,
        PidsLimit: 1024,
        CpuShares: 64,
      }),
    );
    expect(host.Binds ?? []).toEqual([]);
    expect(host.Mounts ?? []).toEqual([]);
    // Neither the system engine's socket nor Wharf's own.
    const socket = await sh('test -e /var/run/docker.sock || test -e /run/wharf/docker.sock');
    expect(socket.exitCode).toBe(1);
  });

  it('has the open-files limit its VCAP_APPLICATION advertises, soft and hard', async () => {
    const limits = await sh('ulimit -Sn; ulimit -Hn; printf %s "$VCAP_APPLICATION"');
    expect(limits.exitCode).toBe(0);
    const [soft, hard, vcap = '{}'] = limits.stdout.split('\n');
    const advertised = (JSON.parse(vcap) as { limits?: { fds?: number } }).limits?.fds;
    expect(advertised).toBe(16384);
    expect([Number(soft), Number(hard)]).toEqual([advertised, advertised]);
  });
});

describe("a service container (the brokers' spec)", () => {
  it('runs without capabilities, cannot gain privileges, and has memory and pids limits', async () => {
    const status = (await sh('cat /proc/self/status', undefined, service)).stdout;
    expect(status).toMatch(/^CapEff:\s+0000000000000000$/m);
    expect(status).toMatch(/^NoNewPrivs:\s+1$/m);
    const host = JSON.parse(
      execFileSync(
        'docker',
        ['-H', config.dockerHost, 'inspect', '-f', '{{json .HostConfig}}', service],
        { encoding: 'utf8' },
      ),
    ) as { Memory: number; MemorySwap: number; PidsLimit: number; CapDrop: string[] };
    // The catalog's smallest memcached plan (64 MB) and the driver's 64 MB on top.
    expect(host).toEqual(
      expect.objectContaining({
        Memory: 128 * 1024 * 1024,
        MemorySwap: 128 * 1024 * 1024,
        PidsLimit: 256,
        CapDrop: ['ALL'],
      }),
    );
  });
});

describe("an app instance container's network", () => {
  it('cannot connect to the platform: PostgreSQL, Redis, the API, the brokers, a Docker API, any host listener', async () => {
    const listener = hostListener.address();
    if (!listener || typeof listener === 'string') throw new Error('no listener address');
    const targets = {
      postgres: portOf(config.databaseUrl, 5432),
      redis: portOf(config.redisUrl, 6379),
      api: config.api.port,
      brokers: config.brokers.port,
      dockerApi: 2375,
      dockerApiTls: 2376,
      hostListener: listener.port,
    };
    const probes: Record<string, [string, number]> = {};
    for (const [name, port] of Object.entries(targets)) {
      probes[`${name} on the gateway`] = [gateway, port];
      probes[`${name} on loopback`] = ['127.0.0.1', port];
    }
    const seen = await connectAll(probes);
    expect(Object.keys(seen)).toHaveLength(Object.keys(probes).length);
    expect(Object.entries(seen).filter(([, v]) => v !== 'closed')).toEqual([]);
  }, 60_000);

  it('cannot connect to the platform from the apps network either (service containers)', async () => {
    const seen = await connectAll(
      {
        postgres: ['127.0.0.1', portOf(config.databaseUrl, 5432)],
        postgresOnGateway: [gateway, portOf(config.databaseUrl, 5432)],
        redisOnGateway: [gateway, portOf(config.redisUrl, 6379)],
        apiOnGateway: [gateway, config.api.port],
        dockerApiOnGateway: [gateway, 2375],
      },
      service,
    );
    expect(Object.values(seen)).toEqual(['closed', 'closed', 'closed', 'closed', 'closed']);
  });

  it('reaches its DNS server and the services cluster on the gateway', async () => {
    await expect(
      connectAll({
        dns: [gateway, 53],
        services: [gateway, portOf(config.brokers.servicesPgUrl, 5432)],
      }),
    ).resolves.toEqual({ dns: 'open', services: 'open' });
  });
});

describe('the network of a space', () => {
  it("reaches its own space's instances, and the service containers on the apps network", async () => {
    await expect(
      connectAll({
        neighbour: [ip[neighbour] ?? '', 8080],
        service: [ip[service] ?? '', 8080],
      }),
    ).resolves.toEqual({ neighbour: 'open', service: 'open' });
  });

  it("cannot connect to another space's instances, nor the apps network to a space's", async () => {
    await expect(connectAll({ stranger: [ip[stranger] ?? '', 8080] })).resolves.toEqual({
      stranger: 'closed',
    });
    await expect(connectAll({ neighbour: [ip[neighbour] ?? '', 8080] }, stranger)).resolves.toEqual(
      { neighbour: 'closed' },
    );
    await expect(connectAll({ neighbour: [ip[neighbour] ?? '', 8080] }, service)).resolves.toEqual({
      neighbour: 'closed',
    });
  });

  it('is reached from the host, as the router and the health checks reach every instance', async () => {
    await expect(waitListening(ip[neighbour] ?? '', 8080)).resolves.toBeUndefined();
    await expect(waitListening(ip[stranger] ?? '', 8080)).resolves.toBeUndefined();
  });

  it('resolves the shared domain to the gateway, where the router answers', async () => {
    const host = `other-app-${run}.${config.sharedDomain}`;
    const resolved = await sh(`getent hosts ${host}`);
    expect(resolved.stdout.trim().split(/\s+/)[0]).toBe(gateway);
    await expect(connectAll({ router: [gateway, config.router.port] })).resolves.toEqual({
      router: 'open',
    });
    // As an app would call another app's route: through its DNS and the router, which answers an
    // unknown route with CF's 404.
    const url = `http://${host}:${config.router.port}/`;
    const r = await sh(
      `python3 -c 'import sys, urllib.request, urllib.error
try:
    urllib.request.urlopen(sys.argv[1], timeout=5)
except urllib.error.HTTPError as e:
    print(e.code, e.read().decode().strip())' ${url}`,
    );
    expect(r.stdout.trim()).toBe(`404 Requested route ('${host}') does not exist.`);
  });
});
