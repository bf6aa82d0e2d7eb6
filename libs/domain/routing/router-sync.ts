import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';
import { LeaderLease, LeaderLeases } from '@wharf/platform/lease';
import { ChangeSignals } from '@wharf/platform/redis';
import { HaproxyController } from '@wharf/platform/router';
import {
  APP_PORT,
  InstancesQueryService,
  ROUTABLE_INSTANCES_TOPIC,
  RoutableInstance,
} from '@wharf/scheduling';
import { DomainRepository } from './domain.repository';
import { InternalName, renderDiscoveryHosts } from './discovery-hosts';
import { RouterRoute, renderHaproxyConfig } from './haproxy-config';
import { RouteRepository } from './route.repository';
import { routeUrl } from './route-names';

/**
 * Where the router sends an instance's requests. An instance on this machine's engine is reached
 * on its apps-network address, port 8080: no NAT and no docker-proxy copying every byte in user
 * space (which halves a proxy's throughput). One on another machine's engine is reached on its
 * cell's address and published port, as CF's router reaches a cell.
 */
function routerAddress(i: RoutableInstance): string {
  return i.host === '127.0.0.1' && i.internalIp
    ? `${i.internalIp}:${APP_PORT}`
    : `${i.host}:${i.port}`;
}
const SYNC_MS = 300;

/**
 * Keeps the data plane equal to the routes and their running (healthy) instances: HAProxy for
 * routes on router domains, dnsmasq's hosts file for routes on apps.internal. Every 300 ms the
 * worker holding the router lease (`config.leases.router`) reads both from the database, and at
 * once on a change of ROUTABLE_INSTANCES_TOPIC (instances turned healthy). After each sync it
 * acknowledges the topic's last change numbered before its read: the health monitor turns healthy
 * instances RUNNING only then, so a push that sees its instances RUNNING finds its route serving
 * them. Without a router configured (no HAProxy) the sync still reads and acknowledges.
 *
 * HAProxy: when the rendered configuration differs from the last one applied, it is written beside
 * the live one (with its host map), checked with `haproxy -c`, moved into place and loaded with a
 * master-socket `reload`. HAProxy's reload is seamless in master-worker mode with `expose-fd
 * listeners`: the new workers take the listening sockets over and the old ones finish their
 * in-flight requests, websockets and tunnels. A configuration that fails the check is logged and
 * never replaces the last good one.
 *
 * apps.internal: the hosts file is replaced by a rename (never read half-written); dnsmasq
 * re-reads it on the change, and answers with TTL 0, so a name follows its instances within a
 * sync.
 */
@Injectable()
export class RouterSync implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RouterSync');
  private readonly lease: LeaderLease;
  private timer: NodeJS.Timeout | null = null;
  private applied = '';
  private refused = false;
  private haproxy: HaproxyController | null = null;
  private appliedHosts = '';
  private running = false;
  /** A signal came during a sync, which may have read the instances before the change. */
  private again = false;
  private unlisten: (() => void) | null = null;
  private acknowledged = 0;

  constructor(
    private readonly routes: RouteRepository,
    private readonly domains: DomainRepository,
    private readonly instances: InstancesQueryService,
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
    leases: LeaderLeases,
    private readonly signals: ChangeSignals,
  ) {
    this.lease = leases.create('router-sync', config.leases.router);
  }

  onApplicationBootstrap(): void {
    // Internal discovery needs no router of its own, but follows the same routes: one sync.
    if (this.config.router.haproxyDir && this.config.router.masterSocket)
      this.haproxy = new HaproxyController(
        this.config.router.haproxyDir,
        this.config.router.masterSocket,
      );
    // A new holder syncs at once: changes made while nobody held the lease wait for it.
    this.lease.start({ acquired: () => void this.tick(true) });
    this.timer = setInterval(() => void this.tick(), SYNC_MS);
    this.unlisten = this.signals.listen(ROUTABLE_INSTANCES_TOPIC, () => void this.tick(true));
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.unlisten?.();
    await this.lease.stop();
  }

  /** One sync; a signalled one that finds a sync under way runs again right after it. */
  private async tick(signalled = false): Promise<void> {
    if (this.running) {
      if (signalled) this.again = true;
      return;
    }
    this.running = true;
    this.again = false;
    try {
      if (this.lease.isHeld()) {
        const { latest } = await this.signals.progress(ROUTABLE_INSTANCES_TOPIC);
        const desired = await this.desired();
        await this.syncRouter(desired.routes);
        await this.syncDiscovery(desired.internal);
        // Only a new number is written (Redis losing its data starts the count again).
        if (latest !== this.acknowledged) {
          await this.signals.acknowledge(ROUTABLE_INSTANCES_TOPIC, latest);
          this.acknowledged = latest;
        }
      }
    } catch (err) {
      this.logger.warn(`router sync: ${(err as Error).message}`);
    } finally {
      this.running = false;
    }
    if (this.again) void this.tick();
  }

  /** Renders HAProxy's configuration and, when it changed, has it checked and loaded. */
  async syncRouter(routes: RouterRoute[]): Promise<boolean> {
    if (!this.haproxy) return false;
    const { config, hostMap } = renderHaproxyConfig({
      port: this.config.router.port,
      appsAddress: this.config.apps.dns,
      stateDir: this.config.router.haproxyDir,
      accessLogPort: this.config.router.accessLogPort,
      routes,
    });
    // Unchanged, unless the live file was replaced behind our back (`npm run up` restarting
    // HAProxy writes its empty router): then this configuration is applied again.
    if (config === this.applied && (this.refused || (await this.haproxy.liveConfig()) === config))
      return false;
    const outcome = await this.haproxy.apply(config, [hostMap]);
    // A refused configuration is not tried again until the routes change.
    this.applied = config;
    this.refused = !outcome.applied;
    if (!outcome.applied) {
      this.logger.error(
        `new router configuration refused by haproxy -c, keeping the last good one: ${outcome.refusal}`,
      );
    }
    return outcome.applied;
  }

  /** Writes dnsmasq's apps.internal hosts file when it changed. */
  async syncDiscovery(names: InternalName[]): Promise<boolean> {
    const dir = this.config.apps.discoveryHostsDir;
    if (!dir) return false;
    const text = renderDiscoveryHosts(names);
    if (text === this.appliedHosts) return false;
    // Written beside the watched directory, then renamed into it: dnsmasq never reads half a file.
    const staging = join(dirname(dir), 'apps.internal.hosts.new');
    await mkdir(dir, { recursive: true });
    await writeFile(staging, text);
    await rename(staging, join(dir, 'apps.internal'));
    this.appliedHosts = text;
    return true;
  }

  /**
   * Routes on router domains with the running instances of their destinations (reached on the
   * cell's published port), and routes on internal domains with their instances' addresses on the
   * apps network (reached directly on port 8080).
   */
  private async desired(): Promise<{ routes: RouterRoute[]; internal: InternalName[] }> {
    const [routes, instances] = await Promise.all([
      this.routes.allUnscoped(),
      this.instances.routable(),
    ]);
    const destinations = await this.routes.destinationsOf(routes.map((r) => r.guid));
    const out: RouterRoute[] = [];
    const internal = new Map<string, string[]>();
    const domains = new Map<string, { name: string; internal: boolean } | null>();
    for (const route of routes) {
      if (!domains.has(route.domainGuid))
        domains.set(route.domainGuid, await this.domains.findByGuidUnscoped(route.domainGuid));
      const domain = domains.get(route.domainGuid);
      if (!domain) continue;
      const serving = destinations
        .filter((d) => d.routeGuid === route.guid)
        .flatMap((d) =>
          instances.filter((i) => i.appGuid === d.appGuid && i.processType === d.processType),
        );
      const address = routeUrl(route.host, domain.name, route.path).toLowerCase();
      if (domain.internal) {
        const ips = serving.flatMap((i) => (i.internalIp ? [i.internalIp] : []));
        internal.set(address, [...(internal.get(address) ?? []), ...ips]);
        continue;
      }
      out.push({
        address,
        backend: route.guid,
        servers: serving.map((i) => ({
          name: `${i.appGuid}_${i.index}_${i.instanceGuid}`,
          address: routerAddress(i),
        })),
      });
    }
    return {
      routes: out,
      internal: [...internal].map(([name, addresses]) => ({ name, addresses })),
    };
  }
}
