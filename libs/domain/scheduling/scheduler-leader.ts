import { randomUUID } from 'node:crypto';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import Redis from 'ioredis';
import { AppConvergeTrigger, AppsQueryService } from '@wharf/apps';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';
import { ContainerRuntimeFactory } from '@wharf/platform/runtime';
import { CellEventWatcher } from './cell-event.watcher';
import { CellsQueryService } from './cells-query.service';
import { HealthMonitor } from './health.monitor';
import { InstanceRepository } from './instance.repository';
import { LogForwarder } from './log-forwarder';
import { SpaceNetworks } from './space-networks';

const LEASE_MS = 15_000;
const RENEW_MS = 5_000;
/** CF converges every 30 s; events make Wharf fast, this makes it certain. */
export const SWEEP_INTERVAL_MS = 30_000;

/** Extends the lease only if this worker still holds it. */
const RENEW_SCRIPT = `if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

/**
 * The scheduler's singleton work — engine event watching, health checks, log forwarding and the
 * periodic convergence sweep — runs in exactly one worker: the holder of a Redis lease, renewed
 * every 5 s and lost after 15 s of silence, so another worker takes over when one dies. Jobs
 * (staging, converge) run in every worker.
 */
@Injectable()
export class SchedulerLeader implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Scheduler');
  private readonly id = randomUUID();
  private redis: Redis | null = null;
  private renewTimer: NodeJS.Timeout | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  private leading = false;

  constructor(
    private readonly events: CellEventWatcher,
    private readonly health: HealthMonitor,
    private readonly forwarder: LogForwarder,
    private readonly apps: AppsQueryService,
    private readonly instances: InstanceRepository,
    private readonly converge: AppConvergeTrigger,
    private readonly cells: CellsQueryService,
    private readonly runtimes: ContainerRuntimeFactory,
    private readonly spaceNetworks: SpaceNetworks,
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.redis = new Redis(this.config.redisUrl, { maxRetriesPerRequest: 2 });
    this.redis.on('error', () => undefined);
    void this.campaign();
    this.renewTimer = setInterval(() => void this.campaign(), RENEW_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.renewTimer) clearInterval(this.renewTimer);
    this.resign();
    if (this.redis) {
      await this.redis
        .eval(
          `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`,
          1,
          this.key(),
          this.id,
        )
        .catch(() => undefined);
      await this.redis.quit().catch(() => undefined);
    }
  }

  private key(): string {
    return `${this.config.queuePrefix}:scheduler-leader`;
  }

  private async campaign(): Promise<void> {
    if (!this.redis) return;
    try {
      const held = this.leading
        ? (await this.redis.eval(RENEW_SCRIPT, 1, this.key(), this.id, String(LEASE_MS))) === 1
        : (await this.redis.set(this.key(), this.id, 'PX', LEASE_MS, 'NX')) === 'OK';
      if (held && !this.leading) await this.lead();
      if (!held && this.leading) this.resign();
    } catch (err) {
      // Without Redis nobody can be sure to lead: stop rather than risk two leaders.
      if (this.leading) this.resign();
      this.logger.warn(`leader lease: ${(err as Error).message}`);
    }
  }

  private async lead(): Promise<void> {
    this.leading = true;
    this.logger.log('this worker now runs the scheduler (events, health checks, logs, sweeps)');
    await this.events.start(() => void this.sweep());
    this.health.start();
    this.forwarder.start();
    void this.sweep();
    this.sweepTimer = setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS);
  }

  private resign(): void {
    if (!this.leading) return;
    this.leading = false;
    this.events.stop();
    this.health.stop();
    this.forwarder.stop();
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
    this.logger.log('this worker no longer runs the scheduler');
  }

  /**
   * Every app that is started, has instances, or has containers gets a converge; then the space
   * networks left without containers go (a space deleted, or all its apps stopped).
   */
  async sweep(): Promise<void> {
    try {
      await this.events.refresh();
      const guids = new Set([
        ...(await this.apps.startedAppGuidsUnscoped()),
        ...(await this.instances.appGuidsUnscoped()),
      ]);
      for (const cell of await this.cells.all()) {
        const containers = await this.runtimes.forCell(cell).listContainers({
          labels: { 'wharf.installation': this.config.installation, 'wharf.role': 'app' },
          all: true,
        });
        for (const c of containers) {
          const app = c.labels['wharf.app_guid'];
          if (app) guids.add(app);
        }
      }
      for (const guid of guids) await this.converge.now(guid);
      if (this.spaceNetworks.enabled) {
        for (const cell of await this.cells.all())
          await this.spaceNetworks.removeUnused(this.runtimes.forCell(cell));
      }
    } catch (err) {
      this.logger.warn(`sweep: ${(err as Error).message}`);
    }
  }
}
