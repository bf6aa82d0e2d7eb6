import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import type { WharfConfig } from '@wharf/platform/config';
import { ContainerRuntime, createContainerRuntime } from '@wharf/platform/runtime';
import { instanceContainerSpec } from '@wharf/scheduling';
import { testConfig } from '../support/test-env';

/**
 * Issue 6, items 5 and 6: an app instance's container (made from the scheduler's own spec, on the
 * installation's apps network, on the engine `npm test` starts) is unprivileged and fenced off
 * from the platform. What `npm run up` sets up for this: the remapped engine (services.sh,
 * ensure_docker) and the firewall of the apps network (ensure_firewall).
 */
const config: WharfConfig = testConfig();
const run = randomBytes(4).toString('hex');
const labels = { 'wharf.installation': config.installation, 'wharf.test-run': run };
let runtime: ContainerRuntime;
let id: string;
let gateway: string;
let hostListener: Server;

const portOf = (url: string, fallback: number) => Number(new URL(url).port || fallback);

/** A shell line in the container; its exit code and output. */
async function sh(script: string, user?: string) {
  return runtime.exec(id, { cmd: ['bash', '-c', script], ...(user ? { user } : {}) });
}

/** For each name, `open` or `closed`: a TCP connection from inside the container to host:port. */
async function connectAll(
  targets: Record<string, [string, number]>,
): Promise<Record<string, string>> {
  const lines = Object.entries(targets).map(
    ([name, [host, port]]) =>
      `timeout 3 bash -c 'exec 3<>/dev/tcp/${host}/${port}' 2>/dev/null && echo "${name}=open" || echo "${name}=closed"`,
  );
  const r = await sh(lines.join('\n'));
  const seen = r.stdout
    .trim()
    .split('\n')
    .map((l): [string, string] => {
      const [name = '', state = ''] = l.split('=');
      return [name, state];
    });
  return Object.fromEntries(seen);
}

beforeAll(async () => {
  expect(config.apps.network).not.toBe('');
  runtime = createContainerRuntime(config.dockerHost);
  const spec = instanceContainerSpec({
    installation: config.installation,
    app: { guid: randomUUID(), name: `hardening-${run}` },
    process: { guid: randomUUID(), type: 'web', memoryInMb: 64, diskInMb: 64 },
    instance: { guid: randomUUID(), index: 0 },
    dropletGuid: randomUUID(),
    image: `wharf/stack-run:${config.stack}`,
    command: 'sleep 600',
    host: { ip: '127.0.0.1', port: 0 },
    network: { name: config.apps.network, dns: config.apps.dns },
    env: { runningEnv: {}, environmentVariables: {}, vcapApplication: {}, vcapServices: {} },
  });
  // The scheduler's spec as it is, but no launcher (that lives in droplet images) and labels
  // this test removes by.
  id = await runtime.createContainer({
    ...spec,
    cmd: ['-c', 'sleep 600'],
    labels: { ...spec.labels, ...labels },
  });
  await runtime.startContainer(id);
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
}, 60_000);

afterAll(async () => {
  hostListener?.close();
  for (const c of await runtime.listContainers({ labels, all: true }))
    await runtime.removeContainer(c.id, { force: true });
});

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
    expect((await sh('ls /var/run/docker.sock /run/wharf 2>&1; true')).stdout).not.toMatch(
      /^\/var\/run\/docker.sock$/m,
    );
    expect(
      (
        await sh('test -e /var/run/docker.sock || test -e /run/wharf/docker.sock; echo $?')
      ).stdout.trim(),
    ).toBe('1');
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

  it('reaches its DNS server and the services cluster on the gateway', async () => {
    await expect(
      connectAll({
        dns: [gateway, 53],
        services: [gateway, portOf(config.brokers.servicesPgUrl, 5432)],
      }),
    ).resolves.toEqual({ dns: 'open', services: 'open' });
  });
});
