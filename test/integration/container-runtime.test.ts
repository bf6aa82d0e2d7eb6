import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import {
  ContainerRuntime,
  ContainerSpec,
  createContainerRuntime,
  RuntimeError,
  RuntimeEvent,
} from '@wharf/platform/runtime';
import { miniRootfsTar } from './support/mini-image';
import { testConfig } from '../support/test-env';

/**
 * The one contract suite for ContainerRuntime, run against the real Docker engine. Everything it
 * creates carries `wharf.test-run=<id>` and is removed at the end.
 */
jest.setTimeout(60_000);

const run = randomBytes(4).toString('hex');
const labels = { 'wharf.managed': 'true', 'wharf.test-run': run };
const repo = `wharf-test/mini-${run}`;
const image = `${repo}:1`;
let runtime: ContainerRuntime;
const scratch = mkdtempSync(join(tmpdir(), 'wharf-rt-'));

function tarOf(files: Record<string, string>): Readable {
  const dir = mkdtempSync(join(scratch, 'ctx-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  const tar = `${dir}.tar`;
  execFileSync('tar', ['-C', dir, '-cf', tar, '.']);
  return createReadStream(tar);
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

const spec = (cmd: string, extra: Partial<ContainerSpec> = {}): ContainerSpec => ({
  image,
  cmd: ['sh', '-c', cmd],
  env: {},
  labels,
  ...extra,
});

async function started(cmd: string, extra: Partial<ContainerSpec> = {}): Promise<string> {
  const id = await runtime.createContainer(spec(cmd, extra));
  await runtime.startContainer(id);
  return id;
}

beforeAll(async () => {
  runtime = createContainerRuntime(testConfig().dockerHost);
  const rootfs = miniRootfsTar();
  try {
    await runtime.importImage(rootfs.stream(), {
      repo,
      tag: '1',
      labels,
      changes: ['ENV PATH=/bin'],
    });
  } finally {
    rootfs.cleanup();
  }
});

afterAll(async () => {
  for (const c of await runtime.listContainers({ 'wharf.test-run': run }, { all: true })) {
    await runtime.removeContainer(c.id, { force: true });
  }
  for (const n of await runtime.listNetworks({ 'wharf.test-run': run }))
    await runtime.removeNetwork(n.name);
  for (const img of await runtime.listImages({ 'wharf.test-run': run }))
    await runtime.removeImage(img.id, { force: true });
  expect(await runtime.listContainers({ 'wharf.test-run': run }, { all: true })).toEqual([]);
  expect(await runtime.listImages({ 'wharf.test-run': run })).toEqual([]);
  rmSync(scratch, { recursive: true, force: true });
});

describe('ContainerRuntime (Docker engine)', () => {
  it('pings and describes the engine', async () => {
    await expect(runtime.ping()).resolves.toBeUndefined();
    const info = await runtime.info();
    expect(info.apiVersion).toMatch(/^1\.\d+$/);
    expect(info.cpus).toBeGreaterThan(0);
    expect(info.memoryBytes).toBeGreaterThan(0);
  });

  it('imports an image from a root filesystem tarball, with labels', async () => {
    const img = await runtime.inspectImage(image);
    expect(img?.labels).toEqual(expect.objectContaining(labels));
    expect(img?.tags).toContain(image);
    expect(await runtime.imageExists(image)).toBe(true);
    expect(await runtime.inspectImage(`${repo}:missing`)).toBeNull();
  });

  it('runs a limited, unprivileged container with a published ephemeral port', async () => {
    const id = await started('exec sleep 300', {
      env: { GREETING: 'hello world' },
      user: '2000:2000',
      workingDir: '/home/vcap',
      memoryBytes: 64 * 1024 * 1024,
      pidsLimit: 64,
      cpuShares: 256,
      capDrop: ['ALL'],
      securityOpt: ['no-new-privileges'],
      ports: [{ containerPort: 8080, hostIp: '127.0.0.1' }],
    });
    const state = await runtime.inspectContainer(id);
    expect(state?.state).toBe('running');
    expect(state?.labels).toEqual(expect.objectContaining(labels));
    expect(state?.ports).toEqual([
      { containerPort: 8080, hostIp: '127.0.0.1', hostPort: expect.any(Number) as number },
    ]);
    expect(state?.ports[0]?.hostPort).toBeGreaterThan(0);

    const whoami = await runtime.exec(id, {
      cmd: [
        'sh',
        '-c',
        'id -u; echo "$GREETING"; cat /proc/self/status | grep -E "^(CapEff|NoNewPrivs)"',
      ],
    });
    expect(whoami.exitCode).toBe(0);
    const lines = whoami.stdout.split('\n');
    expect(lines[0]).toBe('2000');
    expect(lines[1]).toBe('hello world');
    expect(whoami.stdout).toMatch(/CapEff:\s+0000000000000000/);
    expect(whoami.stdout).toMatch(/NoNewPrivs:\s+1/);
    const failing = await runtime.exec(id, { cmd: ['sh', '-c', 'echo oops >&2; exit 7'] });
    expect(failing).toEqual({ exitCode: 7, stdout: '', stderr: 'oops\n' });
  });

  it('streams logs with stdout and stderr apart, and follows new lines', async () => {
    const id = await started('echo out-1; echo err-1 >&2; sleep 2; echo out-2; sleep 30');
    await new Promise((r) => setTimeout(r, 500));
    const past: string[] = [];
    for await (const l of runtime.containerLogs(id, { follow: false }))
      past.push(`${l.stream}:${l.line}`);
    expect(past.sort()).toEqual(['stderr:err-1', 'stdout:out-1']);

    const followed: string[] = [];
    for await (const l of runtime.containerLogs(id, { follow: true, timestamps: true })) {
      expect(l.timestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
      followed.push(l.line);
      if (l.line === 'out-2') break;
    }
    expect(followed).toContain('out-1');
    expect(followed[followed.length - 1]).toBe('out-2');
  });

  it('reports a die event with the exit code, filtered by label, and ends when aborted', async () => {
    const abort = new AbortController();
    const seen: RuntimeEvent[] = [];
    const watching = (async () => {
      for await (const e of runtime.events({ labels: { 'wharf.test-run': run } }, abort.signal)) {
        seen.push(e);
        if (e.action === 'die') break;
      }
    })();
    await new Promise((r) => setTimeout(r, 300));
    const id = await started('exit 3');
    await watching;
    const die = seen.find((e) => e.action === 'die');
    expect(die).toEqual(expect.objectContaining({ id, exitCode: 3 }));
    expect(die?.labels).toEqual(expect.objectContaining(labels));
    expect(await runtime.waitContainer(id)).toBe(3);

    const ended = (async () => {
      for await (const _ of runtime.events({ labels: { 'wharf.test-run': run } }, abort.signal)) {
        // nothing happens in this window
      }
      return 'ended';
    })();
    await new Promise((r) => setTimeout(r, 200));
    abort.abort();
    await expect(ended).resolves.toBe('ended');
  });

  it('stops with SIGTERM, then SIGKILL after the timeout', async () => {
    const id = await started("trap '' TERM; while true; do sleep 1; done");
    const t0 = Date.now();
    await runtime.stopContainer(id, 2);
    const elapsed = Date.now() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(1800);
    expect(elapsed).toBeLessThan(10_000);
    const state = await runtime.inspectContainer(id);
    expect(state?.state).toBe('exited');
    expect(state?.exitCode).toBe(137);
    await expect(runtime.stopContainer(id, 1)).resolves.toBeUndefined();
  });

  it('finds containers by labels only', async () => {
    const other = randomBytes(3).toString('hex');
    const a = await runtime.createContainer(
      spec('true', { labels: { ...labels, 'wharf.probe': other } }),
    );
    const found = await runtime.listContainers({ 'wharf.probe': other });
    expect(found.map((c) => c.id)).toEqual([a]);
    expect(await runtime.listContainers({ 'wharf.probe': `${other}-none` })).toEqual([]);
  });

  it('answers unknown containers with null or a not_found RuntimeError', async () => {
    expect(await runtime.inspectContainer('no-such-container-wharf')).toBeNull();
    await expect(runtime.removeContainer('no-such-container-wharf')).rejects.toMatchObject({
      kind: 'not_found',
    });
    await expect(runtime.startContainer('no-such-container-wharf')).rejects.toBeInstanceOf(
      RuntimeError,
    );
  });

  it('copies files in and out of a container', async () => {
    const id = await started('sleep 30');
    await runtime.putArchive(id, '/tmp', tarOf({ 'hello.txt': 'hi there\n' }));
    const read = await runtime.exec(id, { cmd: ['cat', '/tmp/hello.txt'] });
    expect(read.stdout).toBe('hi there\n');
    const tar = await readAll(await runtime.getArchive(id, '/tmp/hello.txt'));
    expect(tar.toString('latin1')).toContain('hi there');
  });

  it('commits a container and builds an image from a Dockerfile', async () => {
    const id = await started('echo committed > /marker; sleep 30');
    await new Promise((r) => setTimeout(r, 300));
    const committed = await runtime.commitContainer(id, {
      repo,
      tag: 'committed',
      labels: { ...labels, stage: 'one' },
    });
    expect(committed.labels).toEqual(expect.objectContaining({ stage: 'one' }));

    const lines: string[] = [];
    const built = await runtime.buildImage(
      tarOf({
        Dockerfile: `FROM ${image}\nCOPY greeting.txt /greeting.txt\n`,
        'greeting.txt': 'built\n',
      }),
      { tag: `${repo}:built`, labels: { ...labels, stage: 'two' } },
      (l) => lines.push(l),
    );
    expect(built.labels).toEqual(expect.objectContaining({ stage: 'two', 'wharf.test-run': run }));
    expect(lines.join('\n')).toMatch(/COPY greeting.txt/);
    const c = await started('cat /greeting.txt', { image: `${repo}:built` });
    expect(await runtime.waitContainer(c)).toBe(0);
    const out: string[] = [];
    for await (const l of runtime.containerLogs(c, { follow: false })) out.push(l.line);
    expect(out).toEqual(['built']);
  });

  it('manages networks idempotently', async () => {
    const name = `wharf-test-${run}`;
    const first = await runtime.ensureNetwork({ name, labels });
    const second = await runtime.ensureNetwork({ name, labels });
    expect(second.id).toBe(first.id);
    const id = await started('sleep 30');
    await runtime.connectNetwork(name, id, ['probe']);
    expect((await runtime.listNetworks({ 'wharf.test-run': run })).map((n) => n.name)).toEqual([
      name,
    ]);
    await runtime.disconnectNetwork(name, id);
    await runtime.removeNetwork(name);
    await expect(runtime.removeNetwork(name)).resolves.toBeUndefined();
    expect(await runtime.listNetworks({ 'wharf.test-run': run })).toEqual([]);
  });

  it('reports an unreachable engine as unavailable', async () => {
    const gone = createContainerRuntime('unix:///nonexistent/docker.sock');
    await expect(gone.ping()).rejects.toMatchObject({ kind: 'unavailable' });
    await expect(gone.ping()).rejects.toThrow('unix:///nonexistent/docker.sock');
  });
});
