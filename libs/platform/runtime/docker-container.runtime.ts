import { PassThrough, Readable } from 'node:stream';
import Docker from 'dockerode';
import type {
  ContainerRuntime,
  ContainerSpec,
  ContainerState,
  ContainerStats,
  ContainerStatus,
  ContainerSummary,
  EngineInfo,
  ExecResult,
  ImageInfo,
  ImageOptions,
  LabelSelector,
  LogLine,
  LogOptions,
  NetworkInfo,
  NetworkSpec,
  RuntimeEvent,
} from './container-runtime.port';
import { RuntimeError } from './runtime.errors';
import { LineSplitter } from './line-splitter';

export interface DockerEndpointOptions {
  /** unix:///var/run/docker.sock or tcp://host:port */
  dockerHost: string;
  tls?: { ca: string; cert: string; key: string };
}

/**
 * The dockerode adapter behind ContainerRuntime: the only file that imports dockerode. Every
 * engine error is translated into a RuntimeError with a kind.
 */
export class DockerContainerRuntime implements ContainerRuntime {
  readonly endpoint: string;
  private readonly docker: Docker;

  constructor(options: DockerEndpointOptions) {
    this.endpoint = options.dockerHost;
    this.docker = new Docker(connectionOptions(options));
  }

  async ping(): Promise<void> {
    await this.call(() => this.docker.ping());
  }

  async info(): Promise<EngineInfo> {
    const info = (await this.call(() => this.docker.info())) as Record<string, unknown>;
    const version = await this.call(() => this.docker.version());
    const str = (v: unknown) => (typeof v === 'string' ? v : '');
    return {
      serverVersion: version.Version,
      apiVersion: version.ApiVersion,
      os: str(info.OperatingSystem),
      cpus: Number(info.NCPU ?? 0),
      memoryBytes: Number(info.MemTotal ?? 0),
      containersRunning: Number(info.ContainersRunning ?? 0),
      storageDriver: str(info.Driver),
      cgroupVersion: str(info.CgroupVersion),
    };
  }

  async imageExists(ref: string): Promise<boolean> {
    return (await this.inspectImage(ref)) !== null;
  }

  async inspectImage(ref: string): Promise<ImageInfo | null> {
    try {
      const img = await this.call(() => this.docker.getImage(ref).inspect());
      return {
        id: img.Id,
        tags: img.RepoTags ?? [],
        labels: img.Config?.Labels ?? {},
        sizeBytes: img.Size,
        createdAt: img.Created,
      };
    } catch (err) {
      if (err instanceof RuntimeError && err.kind === 'not_found') return null;
      throw err;
    }
  }

  async importImage(rootfsTar: Readable, options: ImageOptions): Promise<ImageInfo> {
    const stream = await this.call(() =>
      this.docker.importImage(rootfsTar, {
        repo: options.repo,
        tag: options.tag,
        changes: changesOf(options),
      }),
    );
    await this.followProgress(stream);
    return this.mustInspectImage(`${options.repo}:${options.tag}`);
  }

  async commitContainer(id: string, options: ImageOptions): Promise<ImageInfo> {
    await this.call(() =>
      this.docker
        .getContainer(id)
        .commit({ repo: options.repo, tag: options.tag, changes: changesOf(options) }),
    );
    return this.mustInspectImage(`${options.repo}:${options.tag}`);
  }

  async buildImage(
    contextTar: Readable,
    options: { tag: string; labels?: Record<string, string>; dockerfile?: string },
    onOutputLine?: (line: string) => void,
  ): Promise<ImageInfo> {
    const stream = await this.call(() =>
      this.docker.buildImage(contextTar, {
        t: options.tag,
        labels: options.labels ?? {},
        dockerfile: options.dockerfile ?? 'Dockerfile',
        rm: true,
        forcerm: true,
        pull: false,
      }),
    );
    await this.followProgress(stream, (event) => {
      if (typeof event.stream === 'string' && onOutputLine) {
        for (const line of event.stream.split('\n')) if (line.trim()) onOutputLine(line);
      }
    });
    return this.mustInspectImage(options.tag);
  }

  async removeImage(ref: string, options: { force?: boolean } = {}): Promise<void> {
    try {
      await this.call(() => this.docker.getImage(ref).remove({ force: options.force ?? false }));
    } catch (err) {
      if (!(err instanceof RuntimeError && err.kind === 'not_found')) throw err;
    }
  }

  async listImages(labels: LabelSelector): Promise<ImageInfo[]> {
    const images = await this.call(() =>
      this.docker.listImages({ filters: { label: labelFilters(labels) } }),
    );
    return images.map((img) => ({
      id: img.Id,
      tags: img.RepoTags ?? [],
      labels: img.Labels ?? {},
      sizeBytes: img.Size,
      createdAt: new Date(img.Created * 1000).toISOString(),
    }));
  }

  async createContainer(spec: ContainerSpec): Promise<string> {
    const exposed: Record<string, object> = {};
    const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
    for (const p of spec.ports ?? []) {
      exposed[`${p.containerPort}/tcp`] = {};
      bindings[`${p.containerPort}/tcp`] = [
        { HostIp: p.hostIp, HostPort: p.hostPort ? String(p.hostPort) : '' },
      ];
    }
    const container = await this.call(() =>
      this.docker.createContainer({
        name: spec.name,
        Image: spec.image,
        Cmd: spec.cmd,
        Entrypoint: spec.entrypoint,
        Env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
        Labels: spec.labels,
        User: spec.user,
        WorkingDir: spec.workingDir,
        ExposedPorts: exposed,
        StopTimeout: spec.stopTimeoutSeconds,
        NetworkingConfig:
          spec.network && spec.networkAliases
            ? { EndpointsConfig: { [spec.network]: { Aliases: spec.networkAliases } } }
            : undefined,
        HostConfig: {
          Memory: spec.memoryBytes,
          MemorySwap: spec.memorySwapBytes,
          CpuShares: spec.cpuShares,
          PidsLimit: spec.pidsLimit,
          CapDrop: spec.capDrop,
          CapAdd: spec.capAdd,
          SecurityOpt: spec.securityOpt,
          ReadonlyRootfs: spec.readOnlyRootfs,
          PortBindings: bindings,
          Binds: spec.binds?.map((b) => `${b.source}:${b.target}${b.readOnly ? ':ro' : ''}`),
          Tmpfs: spec.tmpfs,
          NetworkMode: spec.network,
          AutoRemove: spec.autoRemove,
          Init: spec.init,
        },
      }),
    );
    return container.id;
  }

  async startContainer(id: string): Promise<void> {
    await this.call(() => this.docker.getContainer(id).start(), [304]);
  }

  async stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    await this.call(() => this.docker.getContainer(id).stop({ t: timeoutSeconds }), [304]);
  }

  async killContainer(id: string, signal = 'SIGKILL'): Promise<void> {
    await this.call(() => this.docker.getContainer(id).kill({ signal }));
  }

  async removeContainer(
    id: string,
    options: { force?: boolean; removeVolumes?: boolean } = {},
  ): Promise<void> {
    await this.call(() =>
      this.docker
        .getContainer(id)
        .remove({ force: options.force ?? false, v: options.removeVolumes ?? false }),
    );
  }

  async inspectContainer(id: string): Promise<ContainerState | null> {
    let c: Docker.ContainerInspectInfo;
    try {
      c = await this.call(() => this.docker.getContainer(id).inspect());
    } catch (err) {
      if (err instanceof RuntimeError && err.kind === 'not_found') return null;
      throw err;
    }
    const ports: ContainerState['ports'] = [];
    for (const [key, binds] of Object.entries(c.NetworkSettings?.Ports ?? {})) {
      for (const b of binds ?? []) {
        ports.push({
          containerPort: Number(key.split('/')[0]),
          hostIp: b.HostIp,
          hostPort: Number(b.HostPort),
        });
      }
    }
    const networks = Object.values(c.NetworkSettings?.Networks ?? {});
    return {
      id: c.Id,
      name: c.Name.replace(/^\//, ''),
      image: c.Config.Image,
      labels: c.Config.Labels ?? {},
      state: c.State.Status as ContainerStatus,
      exitCode: c.State.Running ? null : c.State.ExitCode,
      oomKilled: c.State.OOMKilled,
      startedAt: dockerTime(c.State.StartedAt),
      finishedAt: dockerTime(c.State.FinishedAt),
      ipAddress: networks[0]?.IPAddress || null,
      ports,
    };
  }

  async listContainers(
    labels: LabelSelector,
    options: { all?: boolean } = {},
  ): Promise<ContainerSummary[]> {
    const list = await this.call(() =>
      this.docker.listContainers({
        all: options.all ?? true,
        filters: { label: labelFilters(labels) },
      }),
    );
    return list.map((c) => ({
      id: c.Id,
      name: (c.Names[0] ?? '').replace(/^\//, ''),
      image: c.Image,
      labels: c.Labels ?? {},
      state: c.State as ContainerStatus,
    }));
  }

  async waitContainer(id: string): Promise<number> {
    const result = (await this.call(() => this.docker.getContainer(id).wait())) as {
      StatusCode: number;
    };
    return result.StatusCode;
  }

  async containerStats(id: string): Promise<ContainerStats> {
    const s = await this.call(() => this.docker.getContainer(id).stats({ stream: false }));
    const cpuDelta = s.cpu_stats.cpu_usage.total_usage - s.precpu_stats.cpu_usage.total_usage;
    const systemDelta =
      (s.cpu_stats.system_cpu_usage ?? 0) - (s.precpu_stats.system_cpu_usage ?? 0);
    const cpus = s.cpu_stats.online_cpus ?? s.cpu_stats.cpu_usage.percpu_usage?.length ?? 1;
    const cache = (s.memory_stats.stats as Record<string, number> | undefined)?.cache ?? 0;
    return {
      cpuPercent: systemDelta > 0 && cpuDelta > 0 ? (cpuDelta / systemDelta) * cpus * 100 : 0,
      memoryBytes: Math.max(0, (s.memory_stats.usage ?? 0) - cache),
      memoryLimitBytes: s.memory_stats.limit ?? 0,
    };
  }

  async putArchive(id: string, path: string, tar: Readable): Promise<void> {
    await this.call(() => this.docker.getContainer(id).putArchive(tar, { path }));
  }

  async getArchive(id: string, path: string): Promise<Readable> {
    return (await this.call(() => this.docker.getContainer(id).getArchive({ path }))) as Readable;
  }

  async *containerLogs(id: string, options: LogOptions): AsyncIterable<LogLine> {
    const container = this.docker.getContainer(id);
    const info = await this.call(() => container.inspect());
    const params = {
      stdout: true,
      stderr: true,
      timestamps: options.timestamps ?? false,
      since: options.since ?? 0,
      ...(options.tail !== undefined ? { tail: options.tail } : {}),
    };
    const raw: Readable = options.follow
      ? ((await this.call(() => container.logs({ ...params, follow: true }))) as Readable)
      : Readable.from([await this.call(() => container.logs({ ...params, follow: false }))]);
    const out = new PassThrough();
    const err = new PassThrough();
    const queue = new LineQueue(options.timestamps ?? false);
    out.on('data', (chunk: Buffer) => queue.push('stdout', chunk));
    err.on('data', (chunk: Buffer) => queue.push('stderr', chunk));
    if (info.Config.Tty) raw.pipe(out);
    else this.docker.modem.demuxStream(raw, out, err);
    raw.on('end', () => queue.end());
    raw.on('close', () => queue.end());
    raw.on('error', (e: Error) => queue.fail(e));
    try {
      yield* queue;
    } finally {
      raw.destroy();
    }
  }

  async exec(
    id: string,
    options: { cmd: string[]; user?: string; env?: Record<string, string>; workingDir?: string },
  ): Promise<ExecResult> {
    const container = this.docker.getContainer(id);
    const exec = await this.call(() =>
      container.exec({
        Cmd: options.cmd,
        User: options.user,
        Env: options.env ? Object.entries(options.env).map(([k, v]) => `${k}=${v}`) : undefined,
        WorkingDir: options.workingDir,
        AttachStdout: true,
        AttachStderr: true,
      }),
    );
    const stream = await this.call(() => exec.start({ hijack: true, stdin: false }));
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const out = new PassThrough().on('data', (c: Buffer) => stdout.push(c));
    const err = new PassThrough().on('data', (c: Buffer) => stderr.push(c));
    this.docker.modem.demuxStream(stream, out, err);
    await new Promise<void>((resolve, reject) => {
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', reject);
    });
    const inspected = await this.call(() => exec.inspect());
    return {
      exitCode: inspected.ExitCode ?? -1,
      stdout: Buffer.concat(stdout).toString('utf8'),
      stderr: Buffer.concat(stderr).toString('utf8'),
    };
  }

  async *events(
    options: { labels?: LabelSelector; since?: number },
    signal: AbortSignal,
  ): AsyncIterable<RuntimeEvent> {
    const filters: Record<string, string[]> = { type: ['container'] };
    if (options.labels) filters.label = labelFilters(options.labels);
    const stream = (await this.call(() =>
      this.docker.getEvents({
        filters,
        since: options.since,
        abortSignal: signal,
      } as Docker.GetEventsOptions),
    )) as Readable;
    const onAbort = () => stream.destroy();
    signal.addEventListener('abort', onAbort, { once: true });
    const lines = new LineSplitter();
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        for (const line of lines.push(chunk.toString('utf8'))) {
          const e = parseEvent(line);
          if (e) yield e;
        }
      }
    } catch (err) {
      if (!signal.aborted) throw this.translate(err);
    } finally {
      signal.removeEventListener('abort', onAbort);
      stream.destroy();
    }
  }

  async ensureNetwork(spec: NetworkSpec): Promise<NetworkInfo> {
    const existing = await this.findNetwork(spec.name);
    if (existing) return existing;
    try {
      await this.call(() =>
        this.docker.createNetwork({
          Name: spec.name,
          Labels: spec.labels,
          Internal: spec.internal ?? false,
          CheckDuplicate: true,
          IPAM: spec.subnet ? { Driver: 'default', Config: [{ Subnet: spec.subnet }] } : undefined,
        }),
      );
    } catch (err) {
      // Created concurrently by someone else: that is the outcome we wanted.
      if (!(err instanceof RuntimeError && err.kind === 'conflict')) throw err;
    }
    const created = await this.findNetwork(spec.name);
    if (!created)
      throw new RuntimeError('failed', `network ${spec.name} was created but cannot be found`);
    return created;
  }

  async removeNetwork(name: string): Promise<void> {
    try {
      await this.call(() => this.docker.getNetwork(name).remove());
    } catch (err) {
      if (!(err instanceof RuntimeError && err.kind === 'not_found')) throw err;
    }
  }

  async connectNetwork(network: string, containerId: string, aliases?: string[]): Promise<void> {
    await this.call(() =>
      this.docker
        .getNetwork(network)
        .connect({ Container: containerId, EndpointConfig: { Aliases: aliases } }),
    );
  }

  async disconnectNetwork(network: string, containerId: string): Promise<void> {
    await this.call(() =>
      this.docker.getNetwork(network).disconnect({ Container: containerId, Force: true }),
    );
  }

  async listNetworks(labels: LabelSelector): Promise<NetworkInfo[]> {
    const list = await this.call(() =>
      this.docker.listNetworks({ filters: { label: labelFilters(labels) } }),
    );
    return list.map((n) => ({
      id: n.Id,
      name: n.Name,
      labels: n.Labels ?? {},
      internal: n.Internal ?? false,
    }));
  }

  private async findNetwork(name: string): Promise<NetworkInfo | null> {
    const list = await this.call(() => this.docker.listNetworks({ filters: { name: [name] } }));
    const n = list.find((x) => x.Name === name);
    return n
      ? { id: n.Id, name: n.Name, labels: n.Labels ?? {}, internal: n.Internal ?? false }
      : null;
  }

  private async mustInspectImage(ref: string): Promise<ImageInfo> {
    const img = await this.inspectImage(ref);
    if (!img) throw new RuntimeError('failed', `image ${ref} is missing after it was created`);
    return img;
  }

  private followProgress(
    stream: NodeJS.ReadableStream,
    onEvent?: (e: { stream?: unknown; error?: unknown }) => void,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      this.docker.modem.followProgress(
        stream,
        (err: Error | null, output: { error?: unknown; errorDetail?: { message?: string } }[]) => {
          if (err) return reject(this.translate(err));
          const failed = output.find((o) => o.error);
          if (failed)
            return reject(
              new RuntimeError('failed', String(failed.errorDetail?.message ?? failed.error)),
            );
          resolve();
        },
        onEvent,
      );
    });
  }

  /** Runs an engine call, translating its failure; `ignore` lists statuses that mean "already so". */
  private async call<T>(fn: () => Promise<T>, ignore: number[] = []): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode;
      if (status !== undefined && ignore.includes(status)) return undefined as T;
      throw this.translate(err);
    }
  }

  private translate(err: unknown): RuntimeError {
    if (err instanceof RuntimeError) return err;
    const e = err as {
      statusCode?: number;
      code?: string;
      message?: string;
      json?: { message?: string };
    };
    const message = e.json?.message ?? e.message ?? String(err);
    if (
      e.code &&
      ['ENOENT', 'ECONNREFUSED', 'EACCES', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET'].includes(
        e.code,
      )
    ) {
      return new RuntimeError(
        'unavailable',
        `Docker engine at ${this.endpoint} is unreachable (${e.code})`,
      );
    }
    if (e.statusCode === 404) return new RuntimeError('not_found', message, 404);
    if (e.statusCode === 409) return new RuntimeError('conflict', message, 409);
    return new RuntimeError(
      'failed',
      `Docker engine at ${this.endpoint}: ${message}`,
      e.statusCode,
    );
  }
}

function connectionOptions(options: DockerEndpointOptions): Docker.DockerOptions {
  const url = new URL(options.dockerHost);
  if (url.protocol === 'unix:') return { socketPath: url.pathname };
  if (url.protocol === 'tcp:') {
    const tls = options.tls;
    return {
      host: url.hostname,
      port: Number(url.port || (tls ? 2376 : 2375)),
      protocol: tls ? 'https' : 'http',
      ...(tls ? { ca: tls.ca, cert: tls.cert, key: tls.key } : {}),
    };
  }
  throw new RuntimeError('failed', `unsupported Docker endpoint ${options.dockerHost}`);
}

function labelFilters(labels: LabelSelector): string[] {
  return Object.entries(labels).map(([k, v]) => (v === true ? k : `${k}=${v}`));
}

function changesOf(options: ImageOptions): string[] {
  const labels = Object.entries(options.labels ?? {}).map(
    ([k, v]) => `LABEL ${k}=${JSON.stringify(v)}`,
  );
  return [...labels, ...(options.changes ?? [])];
}

function dockerTime(value: string | undefined): string | null {
  return !value || value.startsWith('0001-') ? null : value;
}

function parseEvent(line: string): RuntimeEvent | null {
  let e: {
    Type?: string;
    Action?: string;
    Actor?: { ID?: string; Attributes?: Record<string, string> };
    time?: number;
  };
  try {
    e = JSON.parse(line) as typeof e;
  } catch {
    return null;
  }
  if (e.Type !== 'container' || !e.Actor?.ID || !e.Action) return null;
  const attributes = { ...(e.Actor.Attributes ?? {}) };
  const exitCode = attributes.exitCode !== undefined ? Number(attributes.exitCode) : undefined;
  // Attributes mix labels with image/name/exitCode; callers want the labels.
  for (const k of ['image', 'name', 'exitCode', 'signal', 'execID', 'execDuration'])
    delete attributes[k];
  // Actions such as "exec_start: sh -c x" carry a suffix; the verb is the part before ':'.
  const action = e.Action.split(':')[0] ?? e.Action;
  return {
    type: 'container',
    action,
    id: e.Actor.ID,
    labels: attributes,
    exitCode,
    time: e.time ?? 0,
  };
}

/** Lines from a demultiplexed log stream, as an async iterable (keeps partial lines across chunks). */
class LineQueue implements AsyncIterable<LogLine> {
  private readonly items: LogLine[] = [];
  private readonly splitters = { stdout: new LineSplitter(), stderr: new LineSplitter() };
  private done = false;
  private error: Error | null = null;
  private wake: (() => void) | null = null;

  constructor(private readonly timestamps: boolean) {}

  push(stream: 'stdout' | 'stderr', chunk: Buffer): void {
    for (const line of this.splitters[stream].push(chunk.toString('utf8'))) this.add(stream, line);
    this.notify();
  }

  end(): void {
    if (this.done) return;
    for (const s of ['stdout', 'stderr'] as const) {
      const rest = this.splitters[s].flush();
      if (rest !== null) this.add(s, rest);
    }
    this.done = true;
    this.notify();
  }

  fail(err: Error): void {
    this.error = err;
    this.done = true;
    this.notify();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<LogLine> {
    for (;;) {
      const next = this.items.shift();
      if (next) {
        yield next;
        continue;
      }
      if (this.error) throw this.error;
      if (this.done) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private add(stream: 'stdout' | 'stderr', raw: string): void {
    if (this.timestamps) {
      const space = raw.indexOf(' ');
      this.items.push({ stream, timestamp: raw.slice(0, space), line: raw.slice(space + 1) });
    } else {
      this.items.push({ stream, line: raw });
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
