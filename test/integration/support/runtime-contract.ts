import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Readable } from 'node:stream';
import {
  ContainerRuntime,
  ContainerSpec,
  LogLine,
  RuntimeError,
  RuntimeEvent,
} from '@wharf/platform/runtime';
import { fileFromTar, MINI_VCAP_UID, MiniRootfs, tarOfFiles } from './runtime-mini-image';

/** The engine a run of the contract suite talks to, and what that engine can do. */
export interface RuntimeContractTarget {
  /** Named in the suite's title, e.g. `unix socket`. */
  engine: string;
  /** Called in beforeAll, once the engine is up. */
  runtime: () => ContainerRuntime;
  /**
   * Whether the engine may make networks (Linux bridges on this host) and publish ports. An
   * engine started with --bridge=none --iptables=false so that it leaves the host's networking
   * alone cannot: the cases that need it are left out of its run.
   */
  networking: false | { appsNetwork?: string };
}

/**
 * The one contract suite for ContainerRuntime, registered against a real Docker engine. Everything
 * it creates carries `wharf.test-run=<id>` (and `wharf.managed=true`) and is removed at the end.
 * Its image is made from host binaries and imported through the runtime under test: no registry,
 * no stack image.
 */
export function runtimeContract(target: RuntimeContractTarget): void {
  const run = randomBytes(4).toString('hex');
  const labels = { 'wharf.managed': 'true', 'wharf.test-run': run };
  const mine = { 'wharf.test-run': run };
  const repo = 'wharf-test/mini';
  const image = `${repo}:${run}`;
  const MiB = 1024 * 1024;
  let runtime: ContainerRuntime;

  const probe = () => randomBytes(3).toString('hex');
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  function spec(script: string, extra: Partial<ContainerSpec> = {}): ContainerSpec {
    return { image, cmd: ['sh', '-c', script], env: {}, labels, ...extra };
  }

  async function started(script: string, extra: Partial<ContainerSpec> = {}): Promise<string> {
    const id = await runtime.createContainer(spec(script, extra));
    await runtime.startContainer(id);
    return id;
  }

  async function readAll(stream: Readable): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const c of stream as AsyncIterable<Buffer>) chunks.push(c);
    return Buffer.concat(chunks);
  }

  async function logsOf(id: string): Promise<string[]> {
    const lines: string[] = [];
    for await (const l of runtime.containerLogs(id, { follow: false }))
      lines.push(`${l.stream}:${l.line}`);
    return lines;
  }

  async function until<T>(what: string, probeFn: () => Promise<T>, ok: (v: T) => boolean) {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const value = await probeFn();
      if (ok(value)) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(100);
    }
  }

  describe(`ContainerRuntime (Docker engine, ${target.engine})`, () => {
    beforeAll(async () => {
      runtime = target.runtime();
      const rootfs = new MiniRootfs();
      try {
        await runtime.importImage(rootfs.stream(), {
          repo,
          tag: run,
          labels,
          changes: ['ENV PATH=/bin', 'WORKDIR /'],
        });
      } finally {
        rootfs.cleanup();
      }
    });

    afterAll(async () => {
      if (!runtime) return;
      for (const c of await runtime.listContainers({ labels: mine, all: true }))
        await runtime.removeContainer(c.id, { force: true, removeVolumes: true });
      for (const n of await runtime.listNetworks({ labels: mine }))
        await runtime.removeNetwork(n.name);
      // Images built on the mini image must go before it: newest first, a few passes.
      for (let pass = 0; pass < 3; pass++) {
        const images = await runtime.listImages({ labels: mine });
        images.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
        for (const img of images) {
          await runtime.removeImage(img.id, { force: true }).catch((err: unknown) => {
            if (!RuntimeError.is(err, 'conflict')) throw err;
          });
        }
      }
      expect(await runtime.listContainers({ labels: mine, all: true })).toEqual([]);
      expect(await runtime.listNetworks({ labels: mine })).toEqual([]);
      expect(await runtime.listImages({ labels: mine })).toEqual([]);
    });

    it('pings and describes the engine', async () => {
      await expect(runtime.ping()).resolves.toBeUndefined();
      // One running and one stopped container of its own, whatever else the engine runs.
      const running = await started('exec sleep 300');
      await runtime.createContainer(spec('true'));
      const info = await runtime.info();
      expect(info.serverVersion).toMatch(/^\d+\.\d+/);
      expect(info.apiVersion).toMatch(/^1\.\d+$/);
      expect(info.cpus).toBeGreaterThan(0);
      expect(info.memoryBytes).toBeGreaterThan(0);
      expect(info.containersRunning).toBeGreaterThanOrEqual(1);
      expect(info.containersTotal).toBeGreaterThanOrEqual(info.containersRunning + 1);
      expect(info.storageDriver).not.toBe('');
      await runtime.removeContainer(running, { force: true });
    });

    it('imports an image from a root filesystem tarball, with labels', async () => {
      const img = await runtime.inspectImage(image);
      expect(img).not.toBeNull();
      expect(img?.id).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(img?.labels).toEqual(expect.objectContaining(labels));
      expect(img?.tags).toEqual([image]);
      expect(img?.sizeBytes).toBeGreaterThan(100_000);
      expect(Date.parse(img?.createdAt ?? '')).not.toBeNaN();
      expect(await runtime.imageExists(image)).toBe(true);
      expect(await runtime.inspectImage(`${repo}:${run}-missing`)).toBeNull();
      expect(await runtime.imageExists(`${repo}:${run}-missing`)).toBe(false);
      const listed = await runtime.listImages({ labels: mine });
      expect(listed.map((i) => i.id)).toContain(img?.id);
    });

    it('runs a limited, unprivileged container', async () => {
      const name = `wharf-test-${run}-limited`;
      const id = await started('exec sleep 300', {
        name,
        env: { GREETING: 'hello world', PORT: '8080' },
        user: `${MINI_VCAP_UID}:${MINI_VCAP_UID}`,
        workingDir: '/home/vcap',
        memoryBytes: 64 * MiB,
        memorySwapBytes: 64 * MiB,
        pidsLimit: 64,
        ulimits: [{ name: 'nofile', soft: 1000, hard: 2000 }],
        cpuShares: 256,
        capDrop: ['ALL'],
        securityOpt: ['no-new-privileges'],
      });
      const state = await runtime.inspectContainer(id);
      expect(state).toEqual(
        expect.objectContaining({ id, name, image, state: 'running', exitCode: null }),
      );
      expect(state?.labels).toEqual(expect.objectContaining(labels));
      expect(state?.startedAt).toMatch(/^\d{4}-\d\d-\d\dT/);

      const who = await runtime.exec(id, { cmd: ['sh', '-c', 'id -u; echo "$GREETING"; pwd'] });
      expect(who).toEqual({
        exitCode: 0,
        stdout: `${MINI_VCAP_UID}\nhello world\n/home/vcap\n`,
        stderr: '',
      });
      const asOther = await runtime.exec(id, {
        cmd: ['sh', '-c', 'id -u; echo "$EXTRA $GREETING"; pwd'],
        user: '1234',
        env: { EXTRA: 'and' },
        workingDir: '/tmp',
      });
      expect(asOther.stdout).toBe('1234\nand hello world\n/tmp\n');
      const security = await runtime.exec(id, {
        cmd: [
          'sh',
          '-c',
          'while read -r k v; do case "$k" in CapEff:|NoNewPrivs:) echo "$k $v";; esac; done < /proc/self/status',
        ],
      });
      expect(security.stdout).toBe('CapEff: 0000000000000000\nNoNewPrivs: 1\n');
      const pids = await runtime.exec(id, {
        cmd: [
          'sh',
          '-c',
          'cat /sys/fs/cgroup/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids/pids.max',
        ],
      });
      expect(pids.stdout.trim()).toBe('64');
      const nofile = await runtime.exec(id, { cmd: ['sh', '-c', 'ulimit -S -n; ulimit -H -n'] });
      expect(nofile.stdout).toBe('1000\n2000\n');
      const failing = await runtime.exec(id, { cmd: ['sh', '-c', 'echo oops >&2; exit 7'] });
      expect(failing).toEqual({ exitCode: 7, stdout: '', stderr: 'oops\n' });

      const stats = await runtime.containerStats(id);
      expect(stats.memoryLimitBytes).toBe(64 * MiB);
      expect(stats.memoryBytes).toBeGreaterThan(0);
      expect(stats.memoryBytes).toBeLessThan(64 * MiB);
      // The first sample of a container has nothing to compare with.
      expect(stats.cpuPercent).toBe(0);
    });

    it('measures what a container wrote to its own layer', async () => {
      const id = await started('exec sleep 300');
      const before = await runtime.containerDiskUsage(id);
      // Wharf's engine runs overlay2 on ext4 (Docker's default there), which measures it.
      if (before === null) {
        const { storageDriver } = await runtime.info();
        throw new Error(`the engine's storage driver (${storageDriver}) reports no disk usage`);
      }
      await runtime.putArchive(id, '/tmp', tarOfFiles({ 'written.bin': 'x'.repeat(3 * MiB) }));
      const after = await runtime.containerDiskUsage(id);
      expect((after ?? 0) - before).toBeGreaterThanOrEqual(3 * MiB);
      expect((after ?? 0) - before).toBeLessThan(4 * MiB);
      await expect(runtime.containerDiskUsage(`${run}-no-such-container`)).rejects.toMatchObject({
        kind: 'not_found',
      });
    });

    it('samples stats at once, with CPU as the share used since the previous sample', async () => {
      const id = await started('while :; do :; done');
      const first = await runtime.containerStats(id);
      expect(first.cpuPercent).toBe(0);
      await new Promise((r) => setTimeout(r, 500));
      const began = Date.now();
      const second = await runtime.containerStats(id);
      // One busy loop: about one core's worth (100 %), on any number of cores; less on a machine
      // busy with other tests (28 % was seen with both cores taken), never nothing.
      expect(second.cpuPercent).toBeGreaterThan(10);
      expect(second.cpuPercent).toBeLessThan(150);
      process.stdout.write(`one stats sample took ${Date.now() - began} ms\n`);
      // A busy loop left running would slow every later test.
      await runtime.removeContainer(id, { force: true });
    });

    it('streams logs with stdout and stderr apart, and follows lines printed later', async () => {
      const id = await started(
        'echo out-1; echo err-1 >&2; while [ ! -e /tmp/go ]; do sleep 0.1; done; ' +
          'echo out-2; echo err-2 >&2; exec sleep 300',
      );
      const past = await until(
        'the first lines',
        () => logsOf(id),
        (l) => l.length >= 2,
      );
      expect(past.sort()).toEqual(['stderr:err-1', 'stdout:out-1']);

      const followed: LogLine[] = [];
      for await (const l of runtime.containerLogs(id, { follow: true, timestamps: true })) {
        followed.push(l);
        // Only now does the container print its next lines.
        if (followed.length === 2) await runtime.exec(id, { cmd: ['touch', '/tmp/go'] });
        if (l.line === 'out-2') break;
      }
      for (const l of followed) expect(l.timestamp).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/);
      expect(
        followed
          .slice(0, 2)
          .map((l) => `${l.stream}:${l.line}`)
          .sort(),
      ).toEqual(['stderr:err-1', 'stdout:out-1']);
      expect(followed[followed.length - 1]).toEqual(
        expect.objectContaining({ stream: 'stdout', line: 'out-2' }),
      );

      await until(
        'the last lines',
        () => logsOf(id),
        (l) => l.length >= 4,
      );
      const tail: LogLine[] = [];
      for await (const l of runtime.containerLogs(id, { follow: false, tail: 1 })) tail.push(l);
      expect(tail).toHaveLength(1);
    });

    it('reports a die event with the exit code, filtered by label, and ends when aborted', async () => {
      const p = probe();
      const since = Math.floor(Date.now() / 1000) - 1;
      const other = await started('exit 4', { labels: { ...labels, 'wharf.probe': `${p}-other` } });
      expect(await runtime.waitContainer(other)).toBe(4);

      const watch = new AbortController();
      const seen: RuntimeEvent[] = [];
      const watching = (async () => {
        const filter = { labels: { 'wharf.test-run': run, 'wharf.probe': p }, since };
        for await (const e of runtime.events(filter, watch.signal)) {
          seen.push(e);
          if (e.action === 'die') watch.abort();
        }
        return 'ended';
      })();
      const id = await started('exit 3', { labels: { ...labels, 'wharf.probe': p } });
      await expect(watching).resolves.toBe('ended');

      expect(seen.map((e) => e.id)).toEqual(seen.map(() => id));
      expect(seen.map((e) => e.action)).toEqual(expect.arrayContaining(['create', 'start', 'die']));
      const die = seen.find((e) => e.action === 'die');
      expect(die).toEqual(expect.objectContaining({ type: 'container', id, exitCode: 3 }));
      expect(die?.labels).toEqual(expect.objectContaining({ ...labels, 'wharf.probe': p }));
      expect(die?.time).toBeGreaterThanOrEqual(since);
      expect(await runtime.waitContainer(id)).toBe(3);

      // Waiting for events that never come, then aborted: the iteration simply ends.
      const idle = new AbortController();
      const t0 = Date.now();
      const quiet = (async () => {
        const none: RuntimeEvent[] = [];
        for await (const e of runtime.events(
          { labels: { 'wharf.probe': `${p}-none` } },
          idle.signal,
        ))
          none.push(e);
        return none;
      })();
      await sleep(300);
      idle.abort();
      await expect(quiet).resolves.toEqual([]);
      expect(Date.now() - t0).toBeLessThan(5_000);
      const iterator = runtime.events({}, idle.signal)[Symbol.asyncIterator]();
      await expect(iterator.next()).resolves.toEqual({ done: true, value: undefined });
    });

    it('stops with SIGTERM, then SIGKILL after the timeout', async () => {
      const stubborn = await started("trap '' TERM; while :; do sleep 1; done");
      const t0 = Date.now();
      await runtime.stopContainer(stubborn, 2);
      const elapsed = Date.now() - t0;
      expect(elapsed).toBeGreaterThanOrEqual(1_900);
      expect(elapsed).toBeLessThan(2_000 + 5_000);
      const killed = await runtime.inspectContainer(stubborn);
      expect(killed).toEqual(expect.objectContaining({ state: 'exited', exitCode: 137 }));
      expect(killed?.finishedAt).toMatch(/^\d{4}-/);
      await expect(runtime.stopContainer(stubborn, 1)).resolves.toBeUndefined();

      const polite = await started("trap 'exit 0' TERM; while :; do sleep 0.1; done");
      const t1 = Date.now();
      await runtime.stopContainer(polite, 10);
      expect(Date.now() - t1).toBeLessThan(5_000);
      expect((await runtime.inspectContainer(polite))?.exitCode).toBe(0);

      const victim = await started('exec sleep 300');
      await runtime.killContainer(victim);
      expect(await runtime.waitContainer(victim)).toBe(137);
      await expect(runtime.killContainer(victim)).rejects.toMatchObject({ kind: 'conflict' });
    });

    it('finds containers by labels only', async () => {
      const p = probe();
      const a = await runtime.createContainer(
        spec('true', { labels: { ...labels, 'wharf.probe': p } }),
      );
      const b = await started('exec sleep 300', { labels: { ...labels, 'wharf.probe': p } });
      await runtime.createContainer(
        spec('true', { labels: { ...labels, 'wharf.probe': `${p}-x` } }),
      );

      const found = await runtime.listContainers({ labels: { 'wharf.probe': p } });
      expect(found.map((c) => c.id).sort()).toEqual([a, b].sort());
      expect(found.find((c) => c.id === a)).toEqual(
        expect.objectContaining({
          state: 'created',
          image,
          labels: { ...labels, 'wharf.probe': p },
        }),
      );
      const running = await runtime.listContainers({ labels: { 'wharf.probe': p }, all: false });
      expect(running.map((c) => c.id)).toEqual([b]);
      const anyProbe = await runtime.listContainers({ labels: { ...mine, 'wharf.probe': true } });
      expect(anyProbe.map((c) => c.id)).toEqual(expect.arrayContaining([a, b]));
      expect(await runtime.listContainers({ labels: { 'wharf.probe': `${p}-none` } })).toEqual([]);
      // The positional form older callers use must select the same way (never "everything").
      const legacy = await runtime.listContainers({ 'wharf.probe': p }, { all: true });
      expect(legacy.map((c) => c.id).sort()).toEqual([a, b].sort());
    });

    it('answers unknown containers and images with null or a not_found RuntimeError', async () => {
      const unknown = `no-such-container-${run}`;
      expect(await runtime.inspectContainer(unknown)).toBeNull();
      await expect(runtime.removeContainer(unknown)).rejects.toBeInstanceOf(RuntimeError);
      await expect(runtime.removeContainer(unknown)).rejects.toMatchObject({ kind: 'not_found' });
      await expect(runtime.startContainer(unknown)).rejects.toMatchObject({ kind: 'not_found' });
      await expect(runtime.exec(unknown, { cmd: ['true'] })).rejects.toMatchObject({
        kind: 'not_found',
      });
      await expect(
        (async () => {
          for await (const _ of runtime.containerLogs(unknown, { follow: false })) break;
        })(),
      ).rejects.toMatchObject({ kind: 'not_found' });
      await expect(
        runtime.createContainer(spec('true', { image: `${repo}:${run}-missing` })),
      ).rejects.toMatchObject({ kind: 'not_found' });
      await expect(runtime.removeImage(`${repo}:${run}-missing`)).resolves.toBeUndefined();
    });

    it('copies files in and out of a container', async () => {
      const id = await started('exec sleep 300');
      await runtime.putArchive(id, '/tmp', tarOfFiles({ 'hello.txt': 'hi there\n' }));
      expect((await runtime.exec(id, { cmd: ['cat', '/tmp/hello.txt'] })).stdout).toBe(
        'hi there\n',
      );
      const archive = await readAll(await runtime.getArchive(id, '/tmp/hello.txt'));
      expect(fileFromTar(archive, 'hello.txt')).toBe('hi there\n');
      await expect(runtime.getArchive(id, '/tmp/absent.txt')).rejects.toMatchObject({
        kind: 'not_found',
      });
    });

    it('mounts a named volume read-write, or read-only when asked', async () => {
      const name = `wharf-test-${run}-volume`;
      await runtime.ensureVolume({ name, labels });
      try {
        const writer = await runtime.createContainer(
          spec('echo kept > /data/file', { volumes: [{ name, target: '/data' }] }),
        );
        await runtime.startContainer(writer);
        expect(await runtime.waitContainer(writer)).toBe(0);
        const reader = await runtime.createContainer(
          spec('cat /data/file; echo changed > /data/file', {
            volumes: [{ name, target: '/data', readOnly: true }],
          }),
        );
        await runtime.startContainer(reader);
        expect(await runtime.waitContainer(reader)).not.toBe(0);
        expect(await logsOf(reader)).toEqual(
          expect.arrayContaining(['stdout:kept', expect.stringMatching(/^stderr:.*Read-only/i)]),
        );
        await runtime.removeContainer(writer, { force: true });
        await runtime.removeContainer(reader, { force: true });
      } finally {
        await runtime.removeVolume(name);
      }
      expect(await runtime.listVolumes({ labels: mine })).toEqual([]);
    });

    it('commits a container and builds an image from a Dockerfile', async () => {
      const id = await started('echo committed > /marker; exec sleep 300');
      await until(
        'the marker',
        () => runtime.exec(id, { cmd: ['cat', '/marker'] }),
        (r) => r.exitCode === 0,
      );
      const committed = await runtime.commitContainer(id, {
        repo,
        tag: `${run}-committed`,
        labels: { ...labels, 'wharf.stage': 'one' },
        changes: ['ENV STAGE=one'],
      });
      expect(committed.tags).toEqual([`${repo}:${run}-committed`]);
      expect(committed.labels).toEqual(
        expect.objectContaining({ ...labels, 'wharf.stage': 'one' }),
      );
      const fromCommit = await started('cat /marker; echo "$STAGE"', {
        image: `${repo}:${run}-committed`,
      });
      expect(await runtime.waitContainer(fromCommit)).toBe(0);
      expect(await logsOf(fromCommit)).toEqual(['stdout:committed', 'stdout:one']);

      const output: string[] = [];
      const built = await runtime.buildImage(
        tarOfFiles({
          Dockerfile: `FROM ${image}\nCOPY greeting.txt /greeting.txt\nLABEL wharf.droplet=abc\n`,
          'greeting.txt': 'built\n',
        }),
        { tag: `${repo}:${run}-built`, labels: { ...labels, 'wharf.stage': 'two' } },
        (line) => output.push(line),
      );
      expect(built.tags).toEqual([`${repo}:${run}-built`]);
      expect(built.labels).toEqual(
        expect.objectContaining({ ...labels, 'wharf.stage': 'two', 'wharf.droplet': 'abc' }),
      );
      expect(output.join('\n')).toMatch(/COPY greeting.txt/);
      const fromBuild = await started('cat /greeting.txt', { image: `${repo}:${run}-built` });
      expect(await runtime.waitContainer(fromBuild)).toBe(0);
      expect(await logsOf(fromBuild)).toEqual(['stdout:built']);

      await expect(
        runtime.buildImage(tarOfFiles({ Dockerfile: `FROM ${image}\nCOPY absent.txt /\n` }), {
          tag: `${repo}:${run}-broken`,
          labels,
        }),
      ).rejects.toMatchObject({
        kind: 'failed',
        message: expect.stringMatching(/absent\.txt/) as string,
      });
      expect(await runtime.imageExists(`${repo}:${run}-broken`)).toBe(false);
    });

    // Networks are bridges on the host and published ports go through it: only where the engine
    // may change the host's networking.
    const networking = target.networking;
    if (networking) {
      it('publishes an ephemeral port of a container on a network', async () => {
        const id = await started('exec sleep 300', {
          ports: [{ containerPort: 8080, hostIp: '127.0.0.1' }],
          // Wharf's engine has no default bridge: every container names its network.
          ...(networking.appsNetwork ? { network: networking.appsNetwork } : {}),
        });
        const state = await runtime.inspectContainer(id);
        expect(state?.ipAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
        expect(state?.ports).toEqual([
          { containerPort: 8080, hostIp: '127.0.0.1', hostPort: expect.any(Number) as number },
        ]);
        expect(state?.ports[0]?.hostPort).toBeGreaterThan(0);
        // Listed with the port it holds, also by an empty selector (every running container):
        // what a new instance's port claim must avoid.
        const listed = (await runtime.listContainers({ labels: {}, all: false })).find(
          (c) => c.id === id,
        );
        expect(listed?.hostPorts).toEqual([state?.ports[0]?.hostPort]);
      });

      it('manages networks idempotently', async () => {
        const name = `wharf-test-${run}`;
        const first = await runtime.ensureNetwork({ name, labels, internal: true });
        const second = await runtime.ensureNetwork({ name, labels, internal: true });
        expect(second).toEqual(first);
        expect(first).toEqual(expect.objectContaining({ name, internal: true }));
        expect(first.labels).toEqual(expect.objectContaining(labels));
        expect(await runtime.listNetworks({ labels: mine })).toEqual([first]);

        const attached = await started('exec sleep 300', {
          network: name,
          networkAliases: ['web'],
        });
        const state = await runtime.inspectContainer(attached);
        expect(state?.ipAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
        expect(state?.networks).toEqual([name]);
        const joined = await started('exec sleep 300');
        await runtime.connectNetwork(name, joined, ['worker']);
        await expect(runtime.removeNetwork(name)).rejects.toMatchObject({ kind: 'conflict' });
        await runtime.disconnectNetwork(name, joined);
        await runtime.removeContainer(attached, { force: true });
        await runtime.removeNetwork(name);
        await expect(runtime.removeNetwork(name)).resolves.toBeUndefined();
        expect(await runtime.listNetworks({ labels: mine })).toEqual([]);
      });

      it('names the host interface of a network when asked, for firewall rules', async () => {
        const name = `wharf-test-${run}-bridge`;
        const bridge = `wt-${run}`;
        await runtime.ensureNetwork({ name, labels, bridgeName: bridge });
        try {
          // The engine of the integration tests runs on this machine.
          expect(existsSync(`/sys/class/net/${bridge}`)).toBe(true);
          await expect(
            runtime.ensureNetwork({ name: `${name}-2`, labels, bridgeName: bridge }),
          ).rejects.toBeInstanceOf(RuntimeError);
        } finally {
          await runtime.removeNetwork(name);
        }
        expect(existsSync(`/sys/class/net/${bridge}`)).toBe(false);
      });
    }
  });
}
