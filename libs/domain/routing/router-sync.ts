import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rename, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import Redis from 'ioredis';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';
import { InstancesQueryService } from '@wharf/scheduling';
import { DomainRepository } from './domain.repository';
import { RouterRoute, renderHaproxyConfig } from './haproxy-config';
import { RouteRepository } from './route.repository';
import { routeUrl } from './route-names';

const run = promisify(execFile);
const SYNC_MS = 300;
const LEASE_MS = 10_000;

/**
 * Keeps HAProxy's configuration equal to the routes and their running instances. Every 300 ms
 * the worker holding the router lease renders the whole configuration; when it differs from the
 * last one applied, it is written beside the live one, checked with `haproxy -c`, moved into
 * place and loaded with a master-socket `reload`. HAProxy's reload is seamless in master-worker
 * mode with `expose-fd listeners`: the new workers take the listening sockets over and the old
 * ones finish their in-flight requests and tunnels. A configuration that fails the check is
 * logged and never replaces the last good one.
 */
@Injectable()
export class RouterSync implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RouterSync');
  private readonly id = randomUUID();
  private timer: NodeJS.Timeout | null = null;
  private redis: Redis | null = null;
  private applied = '';
  private running = false;

  constructor(
    private readonly routes: RouteRepository,
    private readonly domains: DomainRepository,
    private readonly instances: InstancesQueryService,
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.router.haproxyDir || !this.config.router.masterSocket) return;
    this.redis = new Redis(this.config.redisUrl, { maxRetriesPerRequest: 2 });
    this.redis.on('error', () => undefined);
    this.timer = setInterval(() => void this.tick(), SYNC_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.redis?.quit().catch(() => undefined);
  }

  private async tick(): Promise<void> {
    if (this.running || !this.redis) return;
    this.running = true;
    try {
      const key = `${this.config.queuePrefix}:router-sync`;
      const mine =
        (await this.redis.set(key, this.id, 'PX', LEASE_MS, 'NX')) === 'OK' ||
        ((await this.redis.get(key)) === this.id &&
          (await this.redis.pexpire(key, LEASE_MS)) === 1);
      if (mine) await this.sync();
    } catch (err) {
      this.logger.warn(`router sync: ${(err as Error).message}`);
    } finally {
      this.running = false;
    }
  }

  /** Renders and, when changed, validates and applies the configuration. */
  async sync(): Promise<boolean> {
    const dir = this.config.router.haproxyDir;
    const { config } = renderHaproxyConfig({
      port: this.config.router.port,
      stateDir: dir,
      routes: await this.desired(),
    });
    if (config === this.applied) return false;
    await writeFile(join(dir, 'haproxy.cfg.new'), config);
    try {
      await run('haproxy', ['-c', '-q', '-f', join(dir, 'haproxy.cfg.new')]);
    } catch (err) {
      this.logger.error(
        `new router configuration refused by haproxy -c, keeping the last good one: ${(err as { stderr?: string }).stderr ?? (err as Error).message}`,
      );
      this.applied = config;
      return false;
    }
    await rename(join(dir, 'haproxy.cfg.new'), join(dir, 'haproxy.cfg'));
    await this.masterCommand('reload');
    this.applied = config;
    return true;
  }

  /** Routes on router domains with the running instances of their destinations. */
  private async desired(): Promise<RouterRoute[]> {
    const [routes, instances] = await Promise.all([
      this.routes.allUnscoped(),
      this.instances.routable(),
    ]);
    const destinations = await this.routes.destinationsOf(routes.map((r) => r.guid));
    const out: RouterRoute[] = [];
    const domains = new Map<string, { name: string; internal: boolean } | null>();
    for (const route of routes) {
      if (!domains.has(route.domainGuid))
        domains.set(route.domainGuid, await this.domains.findByGuidUnscoped(route.domainGuid));
      const domain = domains.get(route.domainGuid);
      if (!domain || domain.internal) continue;
      const servers = destinations
        .filter((d) => d.routeGuid === route.guid)
        .flatMap((d) =>
          instances.filter((i) => i.appGuid === d.appGuid && i.processType === d.processType),
        )
        .map((i) => ({
          name: `${i.instanceGuid.slice(0, 8)}_${i.index}`,
          address: `${i.host}:${i.port}`,
        }));
      out.push({
        address: routeUrl(route.host, domain.name, route.path).toLowerCase(),
        backend: route.guid,
        servers,
      });
    }
    return out;
  }

  private masterCommand(command: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect({ path: this.config.router.masterSocket });
      let answer = '';
      socket.setTimeout(5000, () => socket.destroy(new Error('HAProxy master socket timed out')));
      socket.on('connect', () => socket.end(`${command}\n`));
      socket.on('data', (d: Buffer) => (answer += d.toString()));
      socket.on('error', reject);
      socket.on('close', () => resolve(answer));
    });
  }
}
