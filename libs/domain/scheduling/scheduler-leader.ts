import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { AppConvergeTrigger, AppsQueryService } from '@wharf/apps';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';
import { LeaderLease, LeaderLeases } from '@wharf/platform/lease';
import { ContainerRuntimeFactory } from '@wharf/platform/runtime';
import { CellEventWatcher } from './cell-event.watcher';
import { CellsQueryService } from '@wharf/cells';
import { HealthMonitor } from './health.monitor';
import { InstanceRepository } from './instance.repository';
import { LogForwarder } from './log-forwarder';
import { SpaceNetworks } from './space-networks';
import { TaskRunner } from './task-runner';

/** CF converges every 30 s; events make Wharf fast, this makes it certain. */
export const SWEEP_INTERVAL_MS = 30_000;

/**
 * The scheduler's singleton work — engine event watching, health checks, log forwarding and the
 * periodic convergence sweep — runs in exactly one worker: the holder of the scheduler lease
 * (`config.leases.scheduler`: renewed every 500 ms and lost after 2 s of silence), so another
 * worker takes over within 2.5 s when one dies, and at once resumes the health checks of the
 * starting instances and sweeps (whose converges launch again what the dead one left half
 * launched). Jobs (staging, converge) run in every worker.
 */
@Injectable()
export class SchedulerLeader implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Scheduler');
  private readonly lease: LeaderLease;
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
    private readonly tasks: TaskRunner,
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
    leases: LeaderLeases,
  ) {
    this.lease = leases.create('scheduler-leader', config.leases.scheduler);
  }

  onApplicationBootstrap(): void {
    this.lease.start({
      acquired: (fence) =>
        void this.lead(fence).catch(async (err: unknown) => {
          // A leader that cannot do its work gives the lease up: another worker (or this one, at
          // the next renewal) tries again.
          this.logger.warn(`could not start leading: ${(err as Error).message}`);
          await this.lease.release().catch(() => undefined);
        }),
      lost: () => this.resign(),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    // Resigns first, then gives the lease up so another worker need not wait for it to expire.
    await this.lease.stop();
  }

  /** `fence`: the holding's fencing token; the health monitor writes only while it is current. */
  private async lead(fence: number): Promise<void> {
    if (this.leading) return;
    this.leading = true;
    this.logger.log('this worker now runs the scheduler (events, health checks, logs, sweeps)');
    await this.events.start(() => void this.sweep());
    // The lease may have been lost (or the worker stopped) while the watcher started.
    if (!this.leading) return this.events.stop();
    this.health.start(() => this.lease.fencingToken === fence);
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
   * Every app that is started, has instances, or has containers gets a converge, and every task
   * that has not ended is checked (`TaskRunner.sweep`); then the space networks left without
   * containers go (a space deleted, or all its apps stopped).
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
      await this.tasks.sweep();
      if (this.spaceNetworks.enabled) {
        for (const cell of await this.cells.all())
          await this.spaceNetworks.removeUnused(this.runtimes.forCell(cell));
      }
    } catch (err) {
      this.logger.warn(`sweep: ${(err as Error).message}`);
    }
  }
}
