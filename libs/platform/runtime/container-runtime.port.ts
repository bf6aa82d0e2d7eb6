import type { Readable } from 'node:stream';

/** Labels select containers, images and networks; `true` matches any value of the key. */
export type LabelSelector = Record<string, string | true>;

export interface EngineInfo {
  serverVersion: string;
  apiVersion: string;
  os: string;
  cpus: number;
  memoryBytes: number;
  containersRunning: number;
  containersTotal: number;
  storageDriver: string;
  cgroupVersion: string;
}

export interface ImageInfo {
  id: string;
  /** `repo:tag` references; empty for an untagged image. */
  tags: string[];
  labels: Record<string, string>;
  sizeBytes: number;
  /** ISO 8601. */
  createdAt: string;
}

export interface ImageOptions {
  repo: string;
  tag: string;
  labels?: Record<string, string>;
  /** Dockerfile instructions applied to the image, e.g. `ENV LANG=C.UTF-8`, `USER vcap`. */
  changes?: string[];
}

export interface BuildOptions {
  /** `repo:tag` of the image to produce. */
  tag: string;
  labels?: Record<string, string>;
  /** Path of the Dockerfile inside the context; `Dockerfile` by default. */
  dockerfile?: string;
  /**
   * The network the build's RUN steps use (e.g. to fetch Debian packages); the engine's default
   * when omitted, which is none on an engine started with `--bridge none`.
   */
  network?: string;
}

export interface PortBinding {
  containerPort: number;
  hostIp: string;
  /** Omitted or 0: the engine picks a free port. */
  hostPort?: number;
}

export interface BindMount {
  source: string;
  target: string;
  readOnly: boolean;
}

export interface Ulimit {
  /** The limit's name without RLIMIT_, lower case: `nofile`, `nproc`, `core`. */
  name: string;
  soft: number;
  hard: number;
}

export interface ContainerSpec {
  /** Only for humans reading `docker ps`; Wharf finds its containers by labels. */
  name?: string;
  image: string;
  cmd?: string[];
  entrypoint?: string[];
  env: Record<string, string>;
  labels: Record<string, string>;
  user?: string;
  workingDir?: string;
  memoryBytes?: number;
  /** Memory + swap; equal to `memoryBytes` for a hard limit without swap. */
  memorySwapBytes?: number;
  cpuShares?: number;
  pidsLimit?: number;
  /** Resource limits of the container's processes (`nofile` for open files), soft ≤ hard. */
  ulimits?: Ulimit[];
  capDrop?: string[];
  capAdd?: string[];
  securityOpt?: string[];
  readOnlyRootfs?: boolean;
  /** TCP ports published on the engine's host. */
  ports?: PortBinding[];
  binds?: BindMount[];
  /** Mount point → tmpfs options, e.g. `{ '/tmp': 'rw,size=64m' }`. */
  tmpfs?: Record<string, string>;
  /** Network to attach at creation (its name); the engine's default bridge when omitted. */
  network?: string;
  /** DNS aliases on `network`. */
  networkAliases?: string[];
  /** DNS servers of the container; the engine's (the host's resolvers) when omitted. */
  dns?: string[];
  /** Seconds between SIGTERM and SIGKILL when the engine stops the container on its own. */
  stopTimeoutSeconds?: number;
  autoRemove?: boolean;
  init?: boolean;
  /** What the engine does when the container stops on its own; `no` when omitted. */
  restartPolicy?: 'no' | 'always' | 'unless-stopped' | 'on-failure';
  /** Named volumes (see ensureVolume) mounted at `target`, read-write unless `readOnly`. */
  volumes?: { name: string; target: string; readOnly?: boolean }[];
}

export type ContainerStatus =
  'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

export interface ContainerState {
  id: string;
  name: string;
  image: string;
  labels: Record<string, string>;
  state: ContainerStatus;
  /** Null until the container has run and stopped. */
  exitCode: number | null;
  oomKilled: boolean;
  /** ISO 8601; null before the first start. */
  startedAt: string | null;
  finishedAt: string | null;
  ipAddress: string | null;
  /** Names of the networks the container is attached to. */
  networks: string[];
  /** Published ports; `hostPort` is 0 while the container is not running. */
  ports: Required<PortBinding>[];
}

export interface ContainerSummary {
  id: string;
  name: string;
  image: string;
  labels: Record<string, string>;
  state: ContainerStatus;
  /** ISO 8601. */
  createdAt: string;
  /** Ports it publishes on the engine's host (held while it runs). */
  hostPorts: number[];
}

export interface ContainerQuery {
  labels: LabelSelector;
  /** Include stopped containers; true by default (reconciliation must see crashed ones). */
  all?: boolean;
}

export interface ContainerStats {
  /** Share of one CPU (100 = one core) used since the previous sample of this container; 0 at first. */
  cpuPercent: number;
  /** Usage without the page cache, as `docker stats` shows it. */
  memoryBytes: number;
  memoryLimitBytes: number;
}

export interface LogLine {
  stream: 'stdout' | 'stderr';
  line: string;
  /** RFC 3339 with nanoseconds, when asked for. */
  timestamp?: string;
}

export interface LogOptions {
  /** Keep streaming until the container stops (or the consumer stops iterating). */
  follow: boolean;
  /** Unix seconds. */
  since?: number;
  /** Only the last N lines. */
  tail?: number;
  timestamps?: boolean;
}

export interface ExecOptions {
  cmd: string[];
  user?: string;
  env?: Record<string, string>;
  workingDir?: string;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** The container actions Wharf reacts to; the engine reports others too. */
export type ContainerAction =
  | 'create'
  | 'start'
  | 'die'
  | 'oom'
  | 'stop'
  | 'kill'
  | 'destroy'
  | 'restart'
  | 'pause'
  | 'unpause'
  | 'health_status';

export interface RuntimeEvent {
  type: 'container';
  /** `exec_start: sh -c …` and similar arrive as the verb alone (`exec_start`). */
  action: ContainerAction | (string & {});
  id: string;
  labels: Record<string, string>;
  /** On `die`. */
  exitCode?: number;
  /** Unix seconds. */
  time: number;
}

export interface EventOptions {
  labels?: LabelSelector;
  /** Unix seconds; replays what the engine still remembers since then, then follows. */
  since?: number;
}

export interface NetworkSpec {
  name: string;
  labels: Record<string, string>;
  internal?: boolean;
  subnet?: string;
  /**
   * The host's interface for the network (at most 15 characters), so that firewall rules can
   * name it; the engine picks one when omitted.
   */
  bridgeName?: string;
}

export interface NetworkInfo {
  id: string;
  name: string;
  labels: Record<string, string>;
  internal: boolean;
}

export interface VolumeSpec {
  name: string;
  labels: Record<string, string>;
}

export interface VolumeInfo {
  name: string;
  labels: Record<string, string>;
}

/**
 * A container engine (a cell), in Wharf's own terms. The dockerode adapter is the only
 * implementation; everything else depends on this port. Containers are found by labels.
 * Every method fails with a RuntimeError.
 */
export interface ContainerRuntime {
  /** The engine address, e.g. `unix:///var/run/docker.sock`. */
  readonly endpoint: string;

  ping(): Promise<void>;
  info(): Promise<EngineInfo>;

  imageExists(ref: string): Promise<boolean>;
  /** Null when there is no such image. */
  inspectImage(ref: string): Promise<ImageInfo | null>;
  /** Creates `repo:tag` from a tarball of a root filesystem. */
  importImage(rootfsTar: Readable, options: ImageOptions): Promise<ImageInfo>;
  commitContainer(id: string, options: ImageOptions): Promise<ImageInfo>;
  /** Builds from a tar of a context directory holding a Dockerfile; never pulls. */
  buildImage(
    contextTar: Readable,
    options: BuildOptions,
    onOutputLine?: (line: string) => void,
  ): Promise<ImageInfo>;
  /** Removing an image that is already gone is not an error. */
  removeImage(ref: string, options?: { force?: boolean }): Promise<void>;
  listImages(query: { labels: LabelSelector }): Promise<ImageInfo[]>;

  /** Returns the new container's id. */
  createContainer(spec: ContainerSpec): Promise<string>;
  /** Starting a running container is not an error. */
  startContainer(id: string): Promise<void>;
  /** SIGTERM, then SIGKILL after `timeoutSeconds`. A stopped container is not an error. */
  stopContainer(id: string, timeoutSeconds: number): Promise<void>;
  /** SIGKILL unless another signal is named. */
  killContainer(id: string, signal?: string): Promise<void>;
  removeContainer(
    id: string,
    options?: { force?: boolean; removeVolumes?: boolean },
  ): Promise<void>;
  /** Null when there is no such container. */
  inspectContainer(id: string): Promise<ContainerState | null>;
  listContainers(query: ContainerQuery): Promise<ContainerSummary[]>;
  /** @deprecated pass `{ labels, all }`. */
  listContainers(labels: LabelSelector, options?: { all?: boolean }): Promise<ContainerSummary[]>;
  /** Waits until the container stops; its exit code. */
  waitContainer(id: string): Promise<number>;
  /** One immediate sample. */
  containerStats(id: string): Promise<ContainerStats>;
  /**
   * Bytes the container has written to its own writable layer (volumes and tmpfs not counted);
   * null when the engine's storage driver does not report it. The engine walks the layer's
   * files to answer, which can take long: sample it in the background, never on a request.
   */
  containerDiskUsage(id: string): Promise<number | null>;
  /** Extracts a tar archive into the directory `path` of the container. */
  putArchive(id: string, path: string, tar: Readable): Promise<void>;
  /** A tar archive of `path` in the container. */
  getArchive(id: string, path: string): Promise<Readable>;
  /** Lines of stdout and stderr, apart; stopping the iteration closes the stream. */
  containerLogs(id: string, options: LogOptions): AsyncIterable<LogLine>;
  exec(id: string, options: ExecOptions): Promise<ExecResult>;

  /**
   * Container events until `signal` aborts, which ends the iteration cleanly; filtered by labels
   * when given. Fails with `unavailable` when the engine closes the stream on its own.
   */
  events(options: EventOptions, signal: AbortSignal): AsyncIterable<RuntimeEvent>;

  /** Creates the network unless one of that name exists; either way returns it. */
  ensureNetwork(spec: NetworkSpec): Promise<NetworkInfo>;
  /**
   * Removing a network that is already gone is not an error; one that running containers are
   * attached to is a conflict.
   */
  removeNetwork(name: string): Promise<void>;
  connectNetwork(network: string, containerId: string, aliases?: string[]): Promise<void>;
  disconnectNetwork(network: string, containerId: string): Promise<void>;
  listNetworks(query: { labels: LabelSelector }): Promise<NetworkInfo[]>;

  /** Creates the named volume unless it exists; either way returns it. */
  ensureVolume(spec: VolumeSpec): Promise<VolumeInfo>;
  /** Removing a volume that is already gone is not an error; one in use is a conflict. */
  removeVolume(name: string): Promise<void>;
  listVolumes(query: { labels: LabelSelector }): Promise<VolumeInfo[]>;
}

/** The runtime of the platform's configured engine (health checks, the local cell). */
export const CONTAINER_RUNTIME = Symbol('CONTAINER_RUNTIME');
/** The ContainerRuntimeFactory: one runtime per cell endpoint. */
export const CONTAINER_RUNTIME_FACTORY = Symbol('CONTAINER_RUNTIME_FACTORY');
