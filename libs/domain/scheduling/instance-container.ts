import type { ContainerSpec } from '@wharf/platform/runtime';

/** The port every app listens on inside its container (CF's $PORT). */
export const APP_PORT = 8080;
/** SIGTERM, then SIGKILL after this many seconds (CF's graceful stop). */
export const STOP_GRACE_SECONDS = 10;
export const INSTANCE_PIDS_LIMIT = 1024;
const VCAP_UID = '2000:2000';

export interface InstanceContainerInput {
  installation: string;
  app: { guid: string; name: string; spaceGuid: string };
  process: { guid: string; type: string; memoryInMb: number; diskInMb: number };
  instance: { guid: string; index: number };
  dropletGuid: string;
  image: string;
  command: string;
  /** The cell's address apps are reached on, and the published port of their 8080. */
  host: { ip: string; port: number };
  /**
   * The Docker network the instance runs on (its space's, see space-network.ts) and its DNS
   * server (which also answers `<host>.apps.internal`); the engine's defaults when empty.
   */
  network: { name: string; dns: string };
  env: {
    runningEnv: Record<string, string>;
    environmentVariables: Record<string, string>;
    /** Its `limits.fds` is also the container's open-files limit: what an app is told it has. */
    vcapApplication: { limits: { fds: number } };
    vcapServices: unknown;
    databaseUrl?: string | null;
  };
}

/** Labels by which Wharf finds an instance's container (never by name). */
export function instanceLabels(input: InstanceContainerInput): Record<string, string> {
  return {
    'wharf.managed': 'true',
    'wharf.installation': input.installation,
    'wharf.role': 'app',
    'wharf.space_guid': input.app.spaceGuid,
    'wharf.app_guid': input.app.guid,
    'wharf.process_guid': input.process.guid,
    'wharf.process_type': input.process.type,
    'wharf.instance_index': String(input.instance.index),
    'wharf.instance_guid': input.instance.guid,
    'wharf.droplet_guid': input.dropletGuid,
  };
}

/**
 * The container contract: vcap, PORT 8080, CF's variables with CF's precedence (running group <
 * the app's own < VCAP_APPLICATION and MEMORY_LIMIT < VCAP_SERVICES < DATABASE_URL), a hard
 * memory limit, CPU shares in proportion to memory, a pids limit, the open-files limit
 * VCAP_APPLICATION advertises, no capabilities and no privilege gain, the launcher that sources
 * profile.d, and a 10 s graceful stop behind an init. The container's own address
 * (CF_INSTANCE_INTERNAL_IP) is only known inside it, so the launcher sets it.
 */
export function instanceContainerSpec(input: InstanceContainerInput): ContainerSpec {
  const { host, instance, process } = input;
  const fds = input.env.vcapApplication.limits.fds;
  const ports = JSON.stringify([{ external: host.port, internal: APP_PORT }]);
  const env: Record<string, string> = {
    ...input.env.runningEnv,
    ...input.env.environmentVariables,
    HOME: '/home/vcap/app',
    TMPDIR: '/home/vcap/tmp',
    USER: 'vcap',
    LANG: 'en_US.UTF-8',
    PORT: String(APP_PORT),
    VCAP_APP_PORT: String(APP_PORT),
    VCAP_APP_HOST: '0.0.0.0',
    CF_INSTANCE_INDEX: String(instance.index),
    CF_INSTANCE_GUID: instance.guid,
    INSTANCE_INDEX: String(instance.index),
    INSTANCE_GUID: instance.guid,
    CF_INSTANCE_IP: host.ip,
    CF_INSTANCE_PORT: String(host.port),
    CF_INSTANCE_ADDR: `${host.ip}:${host.port}`,
    CF_INSTANCE_PORTS: ports,
    VCAP_APPLICATION: JSON.stringify(input.env.vcapApplication),
    MEMORY_LIMIT: `${process.memoryInMb}m`,
    VCAP_SERVICES: JSON.stringify(input.env.vcapServices),
    ...(input.env.databaseUrl ? { DATABASE_URL: input.env.databaseUrl } : {}),
  };
  return {
    ...hardened({ memoryInMb: process.memoryInMb, fds, network: input.network }),
    name: `wharf-${input.installation}-${nameWord(input.app.name)}-${nameWord(process.type)}-${instance.index}-${instance.guid.slice(0, 8)}`,
    image: input.image,
    cmd: ['/lifecycle/launcher.sh', input.command],
    env,
    labels: instanceLabels(input),
    ports: [{ containerPort: APP_PORT, hostIp: host.ip, hostPort: host.port }],
  };
}

export interface TaskContainerInput {
  installation: string;
  app: { guid: string; name: string; spaceGuid: string };
  task: { guid: string; name: string; memoryInMb: number };
  dropletGuid: string;
  image: string;
  command: string;
  network: { name: string; dns: string };
  env: InstanceContainerInput['env'];
}

/** Labels by which Wharf finds a task's container. */
export function taskLabels(input: TaskContainerInput): Record<string, string> {
  return {
    'wharf.managed': 'true',
    'wharf.installation': input.installation,
    'wharf.role': 'task',
    'wharf.space_guid': input.app.spaceGuid,
    'wharf.app_guid': input.app.guid,
    'wharf.task_guid': input.task.guid,
    'wharf.task_name': input.task.name,
    'wharf.droplet_guid': input.dropletGuid,
  };
}

/**
 * A task's container: the instance contract (vcap, the launcher, the app's variables with CF's
 * precedence, limits and hardening, its space's network) without a port: nothing routes to a
 * task, and no health check watches it; it runs until its command exits.
 */
export function taskContainerSpec(input: TaskContainerInput): ContainerSpec {
  const { task } = input;
  const fds = input.env.vcapApplication.limits.fds;
  return {
    ...hardened({ memoryInMb: task.memoryInMb, fds, network: input.network }),
    name: `wharf-${input.installation}-${nameWord(input.app.name)}-task-${nameWord(task.name)}-${task.guid.slice(0, 8)}`,
    image: input.image,
    cmd: ['/lifecycle/launcher.sh', input.command],
    env: {
      ...input.env.runningEnv,
      ...input.env.environmentVariables,
      HOME: '/home/vcap/app',
      TMPDIR: '/home/vcap/tmp',
      USER: 'vcap',
      LANG: 'en_US.UTF-8',
      CF_INSTANCE_GUID: task.guid,
      VCAP_APPLICATION: JSON.stringify(input.env.vcapApplication),
      MEMORY_LIMIT: `${task.memoryInMb}m`,
      VCAP_SERVICES: JSON.stringify(input.env.vcapServices),
      ...(input.env.databaseUrl ? { DATABASE_URL: input.env.databaseUrl } : {}),
    },
    labels: taskLabels(input),
  };
}

/** What instances and tasks share: user, limits, hardening, network, a graceful stop. */
function hardened(input: {
  memoryInMb: number;
  fds: number;
  network: { name: string; dns: string };
}): Omit<ContainerSpec, 'name' | 'image' | 'cmd' | 'env' | 'labels'> {
  const memoryBytes = input.memoryInMb * 1024 * 1024;
  return {
    entrypoint: ['bash'],
    user: VCAP_UID,
    workingDir: '/home/vcap/app',
    memoryBytes,
    memorySwapBytes: memoryBytes,
    // Docker's default weight (1024) for a 1 GB instance; never below the kernel's minimum of 2.
    cpuShares: Math.max(2, input.memoryInMb),
    pidsLimit: INSTANCE_PIDS_LIMIT,
    // Soft and hard alike: the figure an app reads is the limit it has, and no more to raise to.
    ulimits: [{ name: 'nofile', soft: input.fds, hard: input.fds }],
    capDrop: ['ALL'],
    securityOpt: ['no-new-privileges'],
    ...(input.network.name ? { network: input.network.name } : {}),
    ...(input.network.dns ? { dns: [input.network.dns] } : {}),
    stopTimeoutSeconds: STOP_GRACE_SECONDS,
    // An init as PID 1 passes SIGTERM on: a process that is PID 1 itself (node after the
    // launcher's exec) ignores it, and every stop would wait the full 10 s for SIGKILL.
    init: true,
  };
}

/**
 * An app name as part of a container name: CF allows any characters in app names, Docker only
 * `[a-zA-Z0-9_.-]` in container names. Containers are found by their labels, never by name, so
 * the name only has to be valid and readable.
 */
function nameWord(text: string): string {
  return text.replace(/[^a-zA-Z0-9_.-]+/g, '-').slice(0, 40) || 'app';
}
