import type { Readable } from 'node:stream';
import Docker from 'dockerode';
import type {
  BuildOptions,
  ContainerQuery,
  ContainerRuntime,
  ContainerSpec,
  ContainerState,
  ContainerStats,
  ContainerStatus,
  ContainerSummary,
  EngineInfo,
  EventOptions,
  ExecOptions,
  ExecResult,
  ImageInfo,
  ImageOptions,
  LabelSelector,
  LogLine,
  LogOptions,
  NetworkInfo,
  NetworkSpec,
  RuntimeEvent,
  VolumeInfo,
  VolumeSpec,
} from './container-runtime.port';
import { dockerEndpointProblem, EngineTls } from './docker-endpoint.policy';
import { DockerStreamDemuxer } from './docker-stream.demuxer';
import { LineSplitter } from './line-splitter';
import { LogLineDecoder } from './log-line.decoder';
import { RuntimeError } from './runtime.errors';

export interface DockerEndpointOptions {
  /** `unix:///var/run/docker.sock` or `tcp://host:port` (TLS when `tls` is given). */
  dockerHost: string;
  /** Required for `tcp://` to anything but loopback (see dockerEndpointProblem). */
  tls?: EngineTls;
}

/** Socket-level failures: the engine is not there (or not answering), not "it said no". */
const UNREACHABLE_CODES = new Set([
  'ENOENT',
  'ECONNREFUSED',
  'EACCES',
  'EPERM',
  'ENOTSOCK',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** Event attributes that are not labels (Docker mixes them into one map). */
const EVENT_ATTRIBUTES = ['image', 'name', 'exitCode', 'signal', 'execID', 'execDuration'];

const STATUSES: ReadonlySet<string> = new Set<ContainerStatus>([
  'created',
  'running',
  'paused',
  'restarting',
  'removing',
  'exited',
  'dead',
]);

/**
 * The dockerode adapter behind ContainerRuntime: the only file that imports dockerode. Every
 * engine error is translated into a RuntimeError with a kind; every answer into our own types.
 */
export class DockerContainerRuntime implements ContainerRuntime {
  /** The previous CPU counters per container, for CPU shares between two samples. */
  private readonly cpuSamples = new Map<string, { total: number; system: number; at: number }>();
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
    const [info, version] = await Promise.all([
      this.call(() => this.docker.info() as Promise<Record<string, unknown>>),
      this.call(() => this.docker.version()),
    ]);
    return {
      serverVersion: version.Version,
      apiVersion: version.ApiVersion,
      os: str(info.OperatingSystem),
      cpus: num(info.NCPU),
      memoryBytes: num(info.MemTotal),
      containersRunning: num(info.ContainersRunning),
      containersTotal: num(info.Containers),
      storageDriver: str(info.Driver),
      cgroupVersion: str(info.CgroupVersion),
    };
  }

  async imageExists(ref: string): Promise<boolean> {
    return (await this.inspectImage(ref)) !== null;
  }

  async inspectImage(ref: string): Promise<ImageInfo | null> {
    const img = await this.orNull(() => this.docker.getImage(ref).inspect());
    if (!img) return null;
    return {
      id: img.Id,
      tags: realTags(img.RepoTags),
      labels: img.Config?.Labels ?? {},
      sizeBytes: img.Size,
      createdAt: img.Created,
    };
  }

  async importImage(rootfsTar: Readable, options: ImageOptions): Promise<ImageInfo> {
    const progress = await this.call(() =>
      this.docker.importImage(rootfsTar, {
        repo: options.repo,
        tag: options.tag,
        changes: changesOf(options),
      }),
    );
    await this.followProgress(progress);
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
    options: BuildOptions,
    onOutputLine?: (line: string) => void,
  ): Promise<ImageInfo> {
    const progress = await this.call(() =>
      this.docker.buildImage(contextTar, {
        t: options.tag,
        labels: options.labels ?? {},
        dockerfile: options.dockerfile ?? 'Dockerfile',
        rm: true,
        forcerm: true,
        pull: false,
        ...(options.network ? { networkmode: options.network } : {}),
      }),
    );
    const lines = new LineSplitter();
    await this.followProgress(progress, (event) => {
      if (onOutputLine && typeof event.stream === 'string') {
        for (const l of lines.push(event.stream)) if (l.trim()) onOutputLine(l);
      }
    });
    const rest = lines.flush();
    if (onOutputLine && rest?.trim()) onOutputLine(rest);
    return this.mustInspectImage(options.tag);
  }

  async removeImage(ref: string, options: { force?: boolean } = {}): Promise<void> {
    await this.orNull(() => this.docker.getImage(ref).remove({ force: options.force ?? false }));
  }

  async listImages(query: { labels: LabelSelector }): Promise<ImageInfo[]> {
    const images = await this.call(() =>
      this.docker.listImages({ filters: { label: labelFilters(query.labels) } }),
    );
    return images.map((img) => ({
      id: img.Id,
      tags: realTags(img.RepoTags),
      labels: img.Labels ?? {},
      sizeBytes: img.Size,
      createdAt: new Date(img.Created * 1000).toISOString(),
    }));
  }

  async createContainer(spec: ContainerSpec): Promise<string> {
    const exposed: Record<string, object> = {};
    const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
    for (const p of spec.ports ?? []) {
      const key = `${p.containerPort}/tcp`;
      exposed[key] = {};
      (bindings[key] ??= []).push({
        HostIp: p.hostIp,
        HostPort: p.hostPort ? String(p.hostPort) : '',
      });
    }
    if (spec.networkAliases?.length && !spec.network)
      throw new RuntimeError('failed', 'network aliases need a network');
    const container = await this.call(() =>
      this.docker.createContainer({
        ...(spec.name ? { name: spec.name } : {}),
        Image: spec.image,
        Cmd: spec.cmd,
        Entrypoint: spec.entrypoint,
        Env: envList(spec.env),
        Labels: spec.labels,
        User: spec.user,
        WorkingDir: spec.workingDir,
        ExposedPorts: exposed,
        StopTimeout: spec.stopTimeoutSeconds,
        NetworkingConfig: spec.network
          ? { EndpointsConfig: { [spec.network]: { Aliases: spec.networkAliases } } }
          : undefined,
        HostConfig: {
          Memory: spec.memoryBytes,
          MemorySwap: spec.memorySwapBytes,
          CpuShares: spec.cpuShares,
          PidsLimit: spec.pidsLimit,
          Ulimits: spec.ulimits?.map((u) => ({ Name: u.name, Soft: u.soft, Hard: u.hard })),
          CapDrop: spec.capDrop,
          CapAdd: spec.capAdd,
          SecurityOpt: spec.securityOpt,
          ReadonlyRootfs: spec.readOnlyRootfs,
          PortBindings: bindings,
          Binds: [
            ...(spec.binds ?? []).map((b) => `${b.source}:${b.target}${b.readOnly ? ':ro' : ''}`),
            ...(spec.volumes ?? []).map((v) => `${v.name}:${v.target}${v.readOnly ? ':ro' : ''}`),
          ],
          RestartPolicy: spec.restartPolicy ? { Name: spec.restartPolicy } : undefined,
          Tmpfs: spec.tmpfs,
          NetworkMode: spec.network,
          Dns: spec.dns,
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
    const c = await this.orNull(() => this.docker.getContainer(id).inspect());
    if (!c) return null;
    const ports: ContainerState['ports'] = [];
    for (const [key, binds] of Object.entries(c.NetworkSettings?.Ports ?? {})) {
      const [port, protocol] = key.split('/');
      if (protocol !== 'tcp') continue;
      // Unpublished exposed ports map to null.
      for (const b of (binds as typeof binds | null) ?? []) {
        ports.push({ containerPort: Number(port), hostIp: b.HostIp, hostPort: num(b.HostPort) });
      }
    }
    const state = status(c.State.Status);
    const ranAndStopped = state === 'exited' || state === 'dead';
    const networks = c.NetworkSettings?.Networks ?? {};
    const firstNetwork = Object.values(networks)[0];
    return {
      id: c.Id,
      name: c.Name.replace(/^\//, ''),
      image: c.Config.Image,
      labels: c.Config.Labels ?? {},
      state,
      exitCode: ranAndStopped ? c.State.ExitCode : null,
      oomKilled: c.State.OOMKilled,
      startedAt: dockerTime(c.State.StartedAt),
      finishedAt: dockerTime(c.State.FinishedAt),
      ipAddress: firstNetwork?.IPAddress || null,
      networks: Object.keys(networks),
      ports,
    };
  }

  listContainers(query: ContainerQuery): Promise<ContainerSummary[]>;
  listContainers(labels: LabelSelector, options?: { all?: boolean }): Promise<ContainerSummary[]>;
  async listContainers(
    queryOrLabels: ContainerQuery | LabelSelector,
    options: { all?: boolean } = {},
  ): Promise<ContainerSummary[]> {
    const query: ContainerQuery = isContainerQuery(queryOrLabels)
      ? queryOrLabels
      : { labels: queryOrLabels, all: options.all };
    const list = await this.call(() =>
      this.docker.listContainers({
        all: query.all ?? true,
        filters: { label: labelFilters(query.labels) },
      }),
    );
    return list.map((c) => ({
      id: c.Id,
      name: (c.Names[0] ?? '').replace(/^\//, ''),
      image: c.Image,
      labels: c.Labels ?? {},
      state: status(c.State),
      createdAt: new Date(c.Created * 1000).toISOString(),
      hostPorts: [...new Set((c.Ports ?? []).flatMap((p) => (p.PublicPort ? [p.PublicPort] : [])))],
    }));
  }

  async waitContainer(id: string): Promise<number> {
    const result = (await this.call(() => this.docker.getContainer(id).wait())) as {
      StatusCode: number;
    };
    return result.StatusCode;
  }

  /**
   * One immediate sample (`one-shot`: Docker's own two-sample read takes about 2 s). CPU is the
   * share used since this runtime's previous sample of the container, as `docker stats` computes
   * it between its reads; 0 on the first one.
   */
  async containerStats(id: string): Promise<ContainerStats> {
    const s = await this.call(() =>
      this.docker.getContainer(id).stats({ stream: false, 'one-shot': true } as { stream: false }),
    );
    const total = s.cpu_stats?.cpu_usage?.total_usage ?? 0;
    const system = s.cpu_stats?.system_cpu_usage ?? 0;
    const cpus = s.cpu_stats?.online_cpus ?? s.cpu_stats?.cpu_usage?.percpu_usage?.length ?? 1;
    const previous = this.cpuSamples.get(id);
    this.cpuSamples.set(id, { total, system, at: Date.now() });
    for (const [key, sample] of this.cpuSamples) {
      if (Date.now() - sample.at > 10 * 60_000) this.cpuSamples.delete(key);
    }
    const cpuDelta = previous ? total - previous.total : 0;
    const systemDelta = previous ? system - previous.system : 0;
    const usage = s.memory_stats?.usage ?? 0;
    // What `docker stats` subtracts: inactive page cache (cgroup v1, then v2 names).
    const mem = (s.memory_stats?.stats ?? {}) as Record<string, number | undefined>;
    const cache = mem.total_inactive_file ?? mem.inactive_file ?? 0;
    return {
      cpuPercent: systemDelta > 0 && cpuDelta > 0 ? (cpuDelta / systemDelta) * cpus * 100 : 0,
      memoryBytes: cache < usage ? usage - cache : usage,
      memoryLimitBytes: s.memory_stats?.limit ?? 0,
    };
  }

  /** `GET /containers/{id}/json?size=true`: SizeRw, which the engine computes when asked. */
  async containerDiskUsage(id: string): Promise<number | null> {
    const c = (await this.call(() =>
      // dockerode sends its options as the query; its typings do not list `size`.
      this.docker.getContainer(id).inspect({ size: true } as Docker.ContainerInspectOptions),
    )) as { SizeRw?: unknown };
    return typeof c.SizeRw === 'number' && c.SizeRw >= 0 ? c.SizeRw : null;
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
    const decoder = new LogLineDecoder({
      multiplexed: !info.Config.Tty,
      timestamps: options.timestamps ?? false,
    });
    const params = {
      stdout: true,
      stderr: true,
      timestamps: options.timestamps ?? false,
      since: options.since ?? 0,
      ...(options.tail !== undefined ? { tail: options.tail } : {}),
    };
    if (!options.follow) {
      const all = await this.call(() => container.logs({ ...params, follow: false }));
      yield* decoder.push(all);
      yield* decoder.end();
      return;
    }
    const stream = (await this.call(() =>
      container.logs({ ...params, follow: true }),
    )) as unknown as Readable;
    try {
      // Pulling chunk by chunk keeps the engine's stream paused while the consumer is busy.
      for await (const chunk of stream as AsyncIterable<Buffer>) yield* decoder.push(chunk);
    } catch (err) {
      throw this.translate(err);
    } finally {
      stream.destroy();
    }
    yield* decoder.end();
  }

  async exec(id: string, options: ExecOptions): Promise<ExecResult> {
    const exec = await this.call(() =>
      this.docker.getContainer(id).exec({
        Cmd: options.cmd,
        User: options.user,
        Env: options.env ? envList(options.env) : undefined,
        WorkingDir: options.workingDir,
        AttachStdin: false,
        AttachStdout: true,
        AttachStderr: true,
        Tty: false,
      }),
    );
    const stream = (await this.call(() =>
      exec.start({ hijack: true, stdin: false }),
    )) as unknown as Readable;
    const demuxer = new DockerStreamDemuxer();
    const out: Record<'stdout' | 'stderr', Buffer[]> = { stdout: [], stderr: [] };
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        for (const frame of demuxer.push(chunk)) {
          out[frame.stream === 'stdout' ? 'stdout' : 'stderr'].push(frame.payload);
        }
      }
    } catch (err) {
      throw this.translate(err);
    } finally {
      stream.destroy();
    }
    // The output ends as the process exits; the engine may record the exit code a moment later.
    let inspected = await this.call(() => exec.inspect());
    for (let i = 0; inspected.Running && i < 50; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      inspected = await this.call(() => exec.inspect());
    }
    if (inspected.Running || inspected.ExitCode === null || inspected.ExitCode === undefined)
      throw new RuntimeError('failed', `exec in container ${id} did not report an exit code`);
    return {
      exitCode: inspected.ExitCode,
      stdout: Buffer.concat(out.stdout).toString('utf8'),
      stderr: Buffer.concat(out.stderr).toString('utf8'),
    };
  }

  async *events(options: EventOptions, signal: AbortSignal): AsyncIterable<RuntimeEvent> {
    if (signal.aborted) return;
    const filters: Record<string, string[]> = { type: ['container'] };
    if (options.labels) filters.label = labelFilters(options.labels);
    let stream: Readable;
    try {
      stream = (await this.call(() =>
        this.docker.getEvents({
          filters,
          ...(options.since !== undefined ? { since: options.since } : {}),
          // dockerode passes it to the HTTP request; its typings do not list it.
          abortSignal: signal,
        } as Docker.GetEventsOptions),
      )) as unknown as Readable;
    } catch (err) {
      if (signal.aborted) return;
      throw err;
    }
    const onAbort = () => stream.destroy();
    signal.addEventListener('abort', onAbort, { once: true });
    const lines = new LineSplitter();
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        for (const line of lines.push(chunk)) {
          const event = parseEvent(line);
          if (event) yield event;
        }
      }
    } catch (err) {
      if (signal.aborted) return;
      throw this.translate(err);
    } finally {
      signal.removeEventListener('abort', onAbort);
      stream.destroy();
    }
    if (!signal.aborted) {
      throw new RuntimeError(
        'unavailable',
        `Docker engine at ${this.endpoint} closed its event stream`,
      );
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
          Options: spec.bridgeName
            ? { 'com.docker.network.bridge.name': spec.bridgeName }
            : undefined,
        }),
      );
    } catch (err) {
      // Created concurrently by someone else: that is the outcome we wanted.
      if (!RuntimeError.is(err, 'conflict')) throw err;
    }
    const created = await this.findNetwork(spec.name);
    if (!created)
      throw new RuntimeError('failed', `network ${spec.name} was created but cannot be found`);
    return created;
  }

  async removeNetwork(name: string): Promise<void> {
    await this.orNull(() => this.docker.getNetwork(name).remove());
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

  async listNetworks(query: { labels: LabelSelector }): Promise<NetworkInfo[]> {
    const list = await this.call(() =>
      this.docker.listNetworks({ filters: { label: labelFilters(query.labels) } }),
    );
    return list.map(networkInfo);
  }

  async ensureVolume(spec: VolumeSpec): Promise<VolumeInfo> {
    const existing = await this.orNull(() => this.docker.getVolume(spec.name).inspect());
    if (existing) return { name: existing.Name, labels: existing.Labels ?? {} };
    // Creating a volume that exists is not an error in Docker: a concurrent create is harmless.
    await this.call(() => this.docker.createVolume({ Name: spec.name, Labels: spec.labels }));
    const created = await this.call(() => this.docker.getVolume(spec.name).inspect());
    return { name: created.Name, labels: created.Labels ?? {} };
  }

  async removeVolume(name: string): Promise<void> {
    await this.orNull(() => this.docker.getVolume(name).remove());
  }

  async listVolumes(query: { labels: LabelSelector }): Promise<VolumeInfo[]> {
    const list = await this.call(() =>
      this.docker.listVolumes({ filters: { label: labelFilters(query.labels) } }),
    );
    return (list.Volumes ?? []).map((v) => ({ name: v.Name, labels: v.Labels ?? {} }));
  }

  private async findNetwork(name: string): Promise<NetworkInfo | null> {
    // The engine's name filter matches substrings; keep the exact one.
    const list = await this.call(() => this.docker.listNetworks({ filters: { name: [name] } }));
    const n = list.find((x) => x.Name === name);
    return n ? networkInfo(n) : null;
  }

  private async mustInspectImage(ref: string): Promise<ImageInfo> {
    const img = await this.inspectImage(ref);
    if (!img) throw new RuntimeError('failed', `image ${ref} is missing after it was created`);
    return img;
  }

  /** Reads a JSON progress stream (import, build) to its end; an `error` entry fails it. */
  private followProgress(
    stream: NodeJS.ReadableStream,
    onEvent?: (event: { stream?: unknown }) => void,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      this.docker.modem.followProgress(
        stream,
        (err: Error | null, output: { error?: unknown; errorDetail?: { message?: string } }[]) => {
          if (err) return reject(this.translate(err));
          const failed = output.find((o) => o.error);
          if (failed) {
            const message = failed.errorDetail?.message ?? String(failed.error);
            return reject(
              new RuntimeError('failed', `Docker engine at ${this.endpoint}: ${message}`),
            );
          }
          resolve();
        },
        onEvent,
      );
    });
  }

  /** Runs an engine call, translating its failure; `ignore` lists statuses meaning "already so". */
  private async call<T>(fn: () => Promise<T>): Promise<T>;
  private async call<T>(fn: () => Promise<T>, ignore: number[]): Promise<T | undefined>;
  private async call<T>(fn: () => Promise<T>, ignore: number[] = []): Promise<T | undefined> {
    try {
      return await fn();
    } catch (err) {
      const status = (err as { statusCode?: unknown } | null)?.statusCode;
      if (typeof status === 'number' && ignore.includes(status)) return undefined;
      throw this.translate(err);
    }
  }

  /** Runs an engine call; "no such thing" answers null. */
  private async orNull<T>(fn: () => Promise<T>): Promise<T | null> {
    try {
      return await this.call(fn);
    } catch (err) {
      if (RuntimeError.is(err, 'not_found')) return null;
      throw err;
    }
  }

  private translate(err: unknown): RuntimeError {
    if (err instanceof RuntimeError) return err;
    const e = (err ?? {}) as {
      statusCode?: number;
      code?: string;
      message?: string;
      json?: unknown;
    };
    if (e.code && UNREACHABLE_CODES.has(e.code)) {
      return new RuntimeError(
        'unavailable',
        `Docker engine at ${this.endpoint} is unreachable (${e.code}${e.message ? `: ${e.message}` : ''})`,
        undefined,
        { cause: err },
      );
    }
    const json = e.json as { message?: unknown } | null | undefined;
    const detail =
      typeof json?.message === 'string' ? json.message : (e.message ?? String(err)).trim();
    const status = e.statusCode;
    const kind =
      status === 404 ? 'not_found' : status === 409 || status === 403 ? 'conflict' : 'failed';
    const message = kind === 'failed' ? `Docker engine at ${this.endpoint}: ${detail}` : detail;
    return new RuntimeError(kind, message, status, { cause: err });
  }
}

function connectionOptions(options: DockerEndpointOptions): Docker.DockerOptions {
  const problem = dockerEndpointProblem(options.dockerHost, options.tls);
  if (problem) throw new RuntimeError('failed', problem);
  const url = new URL(options.dockerHost);
  if (url.protocol === 'unix:') return { socketPath: url.pathname };
  const tls = options.tls;
  return {
    // An IPv6 literal comes bracketed from URL; sockets want it bare.
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: Number(url.port || (tls ? 2376 : 2375)),
    protocol: tls ? 'https' : 'http',
    ...(tls ? { ca: tls.ca, cert: tls.cert, key: tls.key } : {}),
  };
}

function isContainerQuery(value: ContainerQuery | LabelSelector): value is ContainerQuery {
  // Label values are strings or `true`, never objects.
  return typeof value.labels === 'object' && value.labels !== null;
}

function labelFilters(labels: LabelSelector): string[] {
  return Object.entries(labels).map(([k, v]) => (v === true ? k : `${k}=${v}`));
}

function envList(env: Record<string, string>): string[] {
  return Object.entries(env).map(([k, v]) => `${k}=${v}`);
}

function changesOf(options: ImageOptions): string[] {
  const labels = Object.entries(options.labels ?? {}).map(
    ([k, v]) => `LABEL ${JSON.stringify(k)}=${JSON.stringify(v)}`,
  );
  return [...labels, ...(options.changes ?? [])];
}

function realTags(tags: string[] | null | undefined): string[] {
  return (tags ?? []).filter((t) => t !== '<none>:<none>');
}

function status(value: string): ContainerStatus {
  if (STATUSES.has(value)) return value as ContainerStatus;
  throw new RuntimeError('failed', `unknown container state ${value}`);
}

function networkInfo(n: Docker.NetworkInspectInfo): NetworkInfo {
  return { id: n.Id, name: n.Name, labels: n.Labels ?? {}, internal: n.Internal ?? false };
}

function dockerTime(value: string | undefined): string | null {
  return !value || value.startsWith('0001-') ? null : value;
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function num(value: unknown): number {
  const n = Number(value ?? 0);
  return Number.isFinite(n) ? n : 0;
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
  for (const k of EVENT_ATTRIBUTES) delete attributes[k];
  return {
    type: 'container',
    action: e.Action.split(':')[0] ?? e.Action,
    id: e.Actor.ID,
    labels: attributes,
    ...(exitCode !== undefined && Number.isFinite(exitCode) ? { exitCode } : {}),
    time: e.time ?? 0,
  };
}
