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
  storageDriver: string;
  cgroupVersion: string;
}

export interface ImageInfo {
  id: string;
  tags: string[];
  labels: Record<string, string>;
  sizeBytes: number;
  createdAt: string;
}

export interface ImageOptions {
  repo: string;
  tag: string;
  labels?: Record<string, string>;
  /** Dockerfile instructions applied to the image, e.g. `ENV LANG=C.UTF-8`, `USER vcap`. */
  changes?: string[];
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

export interface ContainerSpec {
  name?: string;
  image: string;
  cmd?: string[];
  entrypoint?: string[];
  env: Record<string, string>;
  labels: Record<string, string>;
  user?: string;
  workingDir?: string;
  memoryBytes?: number;
  memorySwapBytes?: number;
  cpuShares?: number;
  pidsLimit?: number;
  capDrop?: string[];
  capAdd?: string[];
  securityOpt?: string[];
  readOnlyRootfs?: boolean;
  ports?: PortBinding[];
  binds?: BindMount[];
  tmpfs?: Record<string, string>;
  network?: string;
  networkAliases?: string[];
  /** Seconds between SIGTERM and SIGKILL when the engine stops the container. */
  stopTimeoutSeconds?: number;
  autoRemove?: boolean;
  init?: boolean;
}

export type ContainerStatus =
  'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

export interface ContainerState {
  id: string;
  name: string;
  image: string;
  labels: Record<string, string>;
  state: ContainerStatus;
  exitCode: number | null;
  oomKilled: boolean;
  startedAt: string | null;
  finishedAt: string | null;
  ipAddress: string | null;
  ports: Required<PortBinding>[];
}

export interface ContainerSummary {
  id: string;
  name: string;
  image: string;
  labels: Record<string, string>;
  state: ContainerStatus;
}

export interface ContainerStats {
  cpuPercent: number;
  memoryBytes: number;
  memoryLimitBytes: number;
}

export interface LogLine {
  stream: 'stdout' | 'stderr';
  line: string;
  timestamp?: string;
}

export interface LogOptions {
  follow: boolean;
  /** Unix seconds. */
  since?: number;
  tail?: number;
  timestamps?: boolean;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface RuntimeEvent {
  type: 'container';
  action: string;
  id: string;
  labels: Record<string, string>;
  exitCode?: number;
  /** Unix seconds. */
  time: number;
}

export interface NetworkSpec {
  name: string;
  labels: Record<string, string>;
  internal?: boolean;
  subnet?: string;
}

export interface NetworkInfo {
  id: string;
  name: string;
  labels: Record<string, string>;
  internal: boolean;
}

/**
 * A container engine (a cell), in Wharf's own terms. The dockerode adapter is the only
 * implementation; everything else depends on this port. Containers are found by labels.
 */
export interface ContainerRuntime {
  readonly endpoint: string;

  ping(): Promise<void>;
  info(): Promise<EngineInfo>;

  imageExists(ref: string): Promise<boolean>;
  inspectImage(ref: string): Promise<ImageInfo | null>;
  importImage(rootfsTar: Readable, options: ImageOptions): Promise<ImageInfo>;
  commitContainer(id: string, options: ImageOptions): Promise<ImageInfo>;
  /** Builds from a tar of a context directory holding a Dockerfile. */
  buildImage(
    contextTar: Readable,
    options: { tag: string; labels?: Record<string, string>; dockerfile?: string },
    onOutputLine?: (line: string) => void,
  ): Promise<ImageInfo>;
  removeImage(ref: string, options?: { force?: boolean }): Promise<void>;
  listImages(labels: LabelSelector): Promise<ImageInfo[]>;

  createContainer(spec: ContainerSpec): Promise<string>;
  startContainer(id: string): Promise<void>;
  /** SIGTERM, then SIGKILL after `timeoutSeconds`. A stopped container is not an error. */
  stopContainer(id: string, timeoutSeconds: number): Promise<void>;
  killContainer(id: string, signal?: string): Promise<void>;
  removeContainer(
    id: string,
    options?: { force?: boolean; removeVolumes?: boolean },
  ): Promise<void>;
  inspectContainer(id: string): Promise<ContainerState | null>;
  listContainers(labels: LabelSelector, options?: { all?: boolean }): Promise<ContainerSummary[]>;
  waitContainer(id: string): Promise<number>;
  containerStats(id: string): Promise<ContainerStats>;
  putArchive(id: string, path: string, tar: Readable): Promise<void>;
  getArchive(id: string, path: string): Promise<Readable>;
  containerLogs(id: string, options: LogOptions): AsyncIterable<LogLine>;
  exec(
    id: string,
    options: { cmd: string[]; user?: string; env?: Record<string, string>; workingDir?: string },
  ): Promise<ExecResult>;

  /** Container events until `signal` aborts; filtered by labels when given. */
  events(
    options: { labels?: LabelSelector; since?: number },
    signal: AbortSignal,
  ): AsyncIterable<RuntimeEvent>;

  ensureNetwork(spec: NetworkSpec): Promise<NetworkInfo>;
  removeNetwork(name: string): Promise<void>;
  connectNetwork(network: string, containerId: string, aliases?: string[]): Promise<void>;
  disconnectNetwork(network: string, containerId: string): Promise<void>;
  listNetworks(labels: LabelSelector): Promise<NetworkInfo[]>;
}

/** The runtime of the platform's configured engine (health checks, the local cell). */
export const CONTAINER_RUNTIME = Symbol('CONTAINER_RUNTIME');
/** One runtime per cell endpoint. */
export const CONTAINER_RUNTIME_FACTORY = Symbol('CONTAINER_RUNTIME_FACTORY');

export interface ContainerRuntimeFactory {
  forEndpoint(endpoint: string): ContainerRuntime;
}
