import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * The one validated configuration of every Wharf process. Nothing else reads process.env:
 * api, worker, the migration runner and tests all call loadConfig().
 */
const schema = z.object({
  WHARF_API_HOST: z.string().min(1).default('127.0.0.1'),
  WHARF_API_PORT: z.coerce.number().int().min(1).max(65535).default(9000),
  WHARF_API_URL: z.url().default('http://127.0.0.1:9000'),
  WHARF_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .default('postgres://wharf:wharf@127.0.0.1:5432/wharf'),
  WHARF_REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .default('redis://127.0.0.1:6379/0'),
  WHARF_QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z0-9-]+$/, 'lowercase letters, digits and dashes only')
    .default('wharf'),
  WHARF_INSTALLATION: z
    .string()
    .regex(/^[a-z0-9-]+$/, 'lowercase letters, digits and dashes only')
    .default('default'),
  WHARF_DOCKER_HOST: z
    .string()
    .regex(/^(unix|tcp):\/\//, 'must be unix:///path or tcp://host:port')
    .default('unix:///run/wharf/docker.sock'),
  WHARF_JWT_SECRET: z.string().min(32, 'must be at least 32 characters'),
  /**
   * Key for secrets at rest (service credentials). Empty: derived from WHARF_JWT_SECRET (HKDF, a
   * label of its own); `npm run up` always sets one of its own.
   */
  WHARF_ENCRYPTION_KEY: z
    .union([z.string().min(32, 'must be at least 32 characters'), z.literal('')])
    .default(''),
  WHARF_ACCESS_TOKEN_TTL: z.coerce.number().int().min(5).default(3600),
  WHARF_REFRESH_TOKEN_TTL: z.coerce
    .number()
    .int()
    .min(60)
    .default(30 * 24 * 3600),
  WHARF_STATE_DIR: z.string().min(1).default('.state'),
  WHARF_SHARED_DOMAIN: z.string().min(1).default('apps.localhost'),
  WHARF_ROUTER_PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  /** Empty: no router on this machine (the routing sync stays idle). */
  WHARF_HAPROXY_DIR: z.string().default(''),
  WHARF_HAPROXY_MASTER_SOCKET: z.string().default(''),
  /** UDP port on 127.0.0.1 where HAProxy sends its access log; 0: no [RTR] lines. */
  WHARF_ROUTER_LOG_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** Docker network of app instances; empty: the engine's default bridge. */
  WHARF_APPS_NETWORK: z.string().default(''),
  /** DNS server of app instances (dnsmasq on the apps network); empty: the engine's default. */
  WHARF_APPS_DNS: z.union([z.ipv4(), z.literal('')]).default(''),
  /**
   * Prefix of the bridges of the space networks (`<prefix>-<8 hex>`), the name the firewall knows
   * them by; empty: every app instance on WHARF_APPS_NETWORK, no network per space.
   */
  WHARF_SPACE_BRIDGE_PREFIX: z
    .union([
      z.string().regex(/^[a-z][a-z0-9]{0,5}$/, 'a letter, then up to 5 letters or digits'),
      z.literal(''),
    ])
    .default(''),
  /** Docker network of staging containers (internet only); empty: the engine's default. */
  WHARF_STAGING_NETWORK: z.string().default(''),
  /** Where the routing sync writes the apps.internal hosts file; empty: no internal discovery. */
  WHARF_DISCOVERY_HOSTS_DIR: z.string().default(''),
  WHARF_MAX_PACKAGE_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024 * 1024),
  /** Package uploads one user may have in flight at once, per API process. */
  WHARF_MAX_CONCURRENT_UPLOADS: z.coerce.number().int().min(1).default(4),
  WHARF_BUILDPACKS_DIR: z.string().min(1).default('buildpacks'),
  WHARF_STACK: z.string().min(1).default('bookworm'),
  /** Seconds the platform waits for one answer of a service broker (CF: 60). */
  WHARF_BROKER_TIMEOUT: z.coerce.number().min(0.1).default(60),
  /** Seconds an asynchronous broker operation is polled when its plan sets no limit (CF: 7 days). */
  WHARF_BROKER_MAX_POLL: z.coerce
    .number()
    .min(1)
    .default(7 * 24 * 3600),
  /** Connections of each process's PostgreSQL pool (the advisory locks have one of their own). */
  WHARF_DB_POOL_SIZE: z.coerce.number().int().min(2).max(500).default(10),
  /** Seconds a query may wait for a free pool connection before it fails. */
  WHARF_DB_CONNECT_TIMEOUT: z.coerce.number().min(0.1).default(5),
  /**
   * Instance containers one worker creates, starts or stops at once on one cell (the engine
   * serialises much of this itself; more only queues inside it).
   */
  WHARF_CELL_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  /** Staged droplets kept per app (CF's droplets_to_keep): older ones expire, bits and image. */
  WHARF_DROPLETS_TO_KEEP: z.coerce.number().int().min(1).max(100).default(5),
  WHARF_LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
  // ---- built-in service brokers (apps/brokers) ----
  WHARF_BROKERS_HOST: z.string().min(1).default('127.0.0.1'),
  /** Unset: the API port + 10. */
  WHARF_BROKERS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  WHARF_BROKERS_USERNAME: z.string().min(1).default('wharf-brokers'),
  /** Basic-auth password platforms register the brokers with; empty: the brokers do not start. */
  WHARF_BROKERS_PASSWORD: z.string().default(''),
  /** The brokers' admin connection to the services cluster; empty: the brokers do not start. */
  WHARF_SERVICES_PG_URL: z
    .union([z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'), z.literal('')])
    .default(''),
  /** Address app containers reach services at (the apps network's gateway); empty: 127.0.0.1. */
  WHARF_SERVICES_HOST: z.union([z.ipv4(), z.literal('')]).default(''),
  /**
   * Seconds between the brokers' checks of their service containers (a missing one is created
   * again on its volume, a stopped one started); 0: never (tests call the keeper themselves).
   */
  WHARF_BROKERS_KEEP_INTERVAL: z.coerce.number().min(0).default(10),
});

export type WharfConfigValues = z.infer<typeof schema>;

export interface WharfConfig {
  api: { host: string; port: number; url: string };
  databaseUrl: string;
  /**
   * Each process's PostgreSQL pool: its size and how long a query waits for a free connection
   * (`DbPoolMeter` logs how long they do wait).
   */
  db: { poolSize: number; connectTimeoutMs: number };
  redisUrl: string;
  queuePrefix: string;
  /** Label value that marks every container this installation manages (tests use their own). */
  installation: string;
  dockerHost: string;
  auth: { jwtSecret: string; accessTokenTtl: number; refreshTokenTtl: number };
  /** Secret material for encryption at rest (see SecretBox). */
  encryptionKey: string;
  stateDir: string;
  sharedDomain: string;
  /** The HAProxy data plane; `dir` empty when this process has none to drive. */
  router: { port: number; haproxyDir: string; masterSocket: string; accessLogPort: number };
  /**
   * Where app instances run and how they find each other: the installation's apps network (the
   * built-in service containers; app instances too unless there is a network per space), their
   * DNS server (which answers `<host>.apps.internal`), the hosts directory that server reads, and
   * the bridge prefix of the space networks (empty: none).
   */
  apps: { network: string; dns: string; discoveryHostsDir: string; spaceBridgePrefix: string };
  /** The Docker network staging containers run on; the engine's default when empty. */
  stagingNetwork: string;
  /** Largest package upload accepted (CF: 1 GiB). */
  maxPackageBytes: number;
  /** Package uploads one user may have in flight at once (per API process). */
  maxConcurrentUploads: number;
  /** The system buildpacks (one directory each, plus `order` and `lifecycle/`). */
  buildpacksDir: string;
  /** The one stack this platform builds for (wharf/stack-build:<stack>, wharf/stack-run:<stack>). */
  stack: string;
  /** Staged droplets kept per app; older ones not in use expire. */
  dropletsToKeep: number;
  /** How the platform talks to service brokers (the OSB client). */
  osb: { timeoutMs: number; maxPollSeconds: number };
  logLevel: WharfConfigValues['WHARF_LOG_LEVEL'];
  /** Instance containers a worker creates, starts or stops at once per cell. */
  scheduling: { cellConcurrency: number };
  /**
   * The built-in service brokers: where their OSB API listens, its Basic-auth credentials, the
   * admin URL of the services PostgreSQL cluster and the address apps reach service instances at.
   */
  brokers: {
    host: string;
    port: number;
    username: string;
    password: string;
    servicesPgUrl: string;
    servicesHost: string;
    keepIntervalMs: number;
  };
  /**
   * The singleton leases (see LeaderLease): their holder renews every `renewMs`; when it dies,
   * another worker takes over at most `ttlMs + renewMs` later (2.5 s: a push that is starting
   * instances when its worker dies still succeeds). Set here, not from the environment.
   */
  leases: {
    /** The scheduler leader: engine events, health checks, log forwarding, sweeps. */
    scheduler: { ttlMs: number; renewMs: number };
    /** The router sync (HAProxy and apps.internal), which runs every 300 ms. */
    router: { ttlMs: number; renewMs: number };
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid Wharf configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): WharfConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  const v = parsed.data;
  return {
    api: {
      host: v.WHARF_API_HOST,
      port: v.WHARF_API_PORT,
      url: v.WHARF_API_URL.replace(/\/$/, ''),
    },
    databaseUrl: v.WHARF_DATABASE_URL,
    db: {
      poolSize: v.WHARF_DB_POOL_SIZE,
      connectTimeoutMs: Math.round(v.WHARF_DB_CONNECT_TIMEOUT * 1000),
    },
    redisUrl: v.WHARF_REDIS_URL,
    queuePrefix: v.WHARF_QUEUE_PREFIX,
    installation: v.WHARF_INSTALLATION,
    dockerHost: v.WHARF_DOCKER_HOST,
    auth: {
      jwtSecret: v.WHARF_JWT_SECRET,
      accessTokenTtl: v.WHARF_ACCESS_TOKEN_TTL,
      refreshTokenTtl: v.WHARF_REFRESH_TOKEN_TTL,
    },
    encryptionKey: v.WHARF_ENCRYPTION_KEY,
    stateDir: v.WHARF_STATE_DIR,
    sharedDomain: v.WHARF_SHARED_DOMAIN,
    router: {
      port: v.WHARF_ROUTER_PORT,
      haproxyDir: v.WHARF_HAPROXY_DIR,
      masterSocket: v.WHARF_HAPROXY_MASTER_SOCKET,
      accessLogPort: v.WHARF_ROUTER_LOG_PORT,
    },
    apps: {
      network: v.WHARF_APPS_NETWORK,
      dns: v.WHARF_APPS_DNS,
      discoveryHostsDir: v.WHARF_DISCOVERY_HOSTS_DIR,
      spaceBridgePrefix: v.WHARF_SPACE_BRIDGE_PREFIX,
    },
    stagingNetwork: v.WHARF_STAGING_NETWORK,
    maxPackageBytes: v.WHARF_MAX_PACKAGE_BYTES,
    maxConcurrentUploads: v.WHARF_MAX_CONCURRENT_UPLOADS,
    buildpacksDir: resolve(v.WHARF_BUILDPACKS_DIR),
    stack: v.WHARF_STACK,
    dropletsToKeep: v.WHARF_DROPLETS_TO_KEEP,
    osb: {
      timeoutMs: Math.round(v.WHARF_BROKER_TIMEOUT * 1000),
      maxPollSeconds: v.WHARF_BROKER_MAX_POLL,
    },
    logLevel: v.WHARF_LOG_LEVEL,
    scheduling: { cellConcurrency: v.WHARF_CELL_CONCURRENCY },
    brokers: {
      host: v.WHARF_BROKERS_HOST,
      port: v.WHARF_BROKERS_PORT ?? v.WHARF_API_PORT + 10,
      username: v.WHARF_BROKERS_USERNAME,
      password: v.WHARF_BROKERS_PASSWORD,
      servicesPgUrl: v.WHARF_SERVICES_PG_URL,
      servicesHost: v.WHARF_SERVICES_HOST || '127.0.0.1',
      keepIntervalMs: Math.round(v.WHARF_BROKERS_KEEP_INTERVAL * 1000),
    },
    leases: {
      scheduler: { ttlMs: 2_000, renewMs: 500 },
      router: { ttlMs: 2_000, renewMs: 300 },
    },
  };
}
