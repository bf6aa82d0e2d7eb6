import { Injectable, Logger } from '@nestjs/common';
import { AppConvergeTrigger, ProcessesQueryService } from '@wharf/apps';
import { PLATFORM_VISIBILITY } from '@wharf/access';
import { ChangeSignals } from '@wharf/platform/redis';
import { AppLock } from './app.lock';
import { checkHealth, HEALTH_DEFAULTS, HealthCheckSpec, healthCheckSpec } from './health-check';
import { InstanceEntity } from './instance.entity';
import { InstanceRepository } from './instance.repository';
import { InstanceLifecycle } from './instance-lifecycle';
import { ROUTABLE_INSTANCES_TOPIC } from './instances-query.service';

const TICK_MS = 100;
const REFRESH_MS = 300;

type Watched = { row: InstanceEntity; spec: HealthCheckSpec };

/**
 * CF's health checks, run by the scheduler leader from one timer for every instance: a starting
 * instance is checked often at first, then every 2 s, until healthy or until its start timeout
 * (then crashed: "Start app timeout"); a running one every `interval` (30 s), and a failed check
 * replaces it as a crash. The instances are read every 300 ms. Crashes take the app's lock.
 *
 * A starting instance that passed becomes RUNNING in two writes, each for all the instances of a
 * tick at once: healthy (`healthy_since`; the router serves it from then on) with a numbered
 * change of ROUTABLE_INSTANCES_TOPIC, then RUNNING once the router has acknowledged that change,
 * with one converge per app after it. RUNNING therefore means served by the router. A new leader
 * finds the healthy STARTING instances its predecessor left and records a change for them.
 */
@Injectable()
export class HealthMonitor {
  private readonly logger = new Logger('Health');
  private timer: NodeJS.Timeout | null = null;
  private readonly lastCheck = new Map<string, number>();
  private readonly inFlight = new Set<string>();
  /** Instances whose check passed while STARTING, not yet written healthy. */
  private healthy = new Set<string>();
  /** Healthy STARTING instances and the routable change each waits for the router to apply. */
  private awaitingRouter = new Map<string, number>();
  private unlisten: (() => void) | null = null;
  private ticking = false;
  /** Whether the leadership that started the monitor still holds (its fencing token). */
  private stillLeading: () => boolean = () => false;
  private cache: { at: number; items: Watched[] } = { at: 0, items: [] };

  constructor(
    private readonly instances: InstanceRepository,
    private readonly processes: ProcessesQueryService,
    private readonly lifecycle: InstanceLifecycle,
    private readonly lock: AppLock,
    private readonly converge: AppConvergeTrigger,
    private readonly signals: ChangeSignals,
  ) {}

  /**
   * Starts checking at once (a new leader resumes the starting instances it finds).
   * `stillLeading` is asked before every write: false once the lease that started the monitor
   * has another fencing token, so a leader that lost it writes nothing more.
   */
  start(stillLeading: () => boolean = () => true): void {
    this.stillLeading = stillLeading;
    this.timer ??= setInterval(
      () => void this.tick().catch((e: Error) => this.logger.warn(e.message)),
      TICK_MS,
    );
    // The router's acknowledgement lets the instances waiting for it turn RUNNING at once.
    this.unlisten ??= this.signals.listen(
      `${ROUTABLE_INSTANCES_TOPIC}.applied`,
      () => void this.tick().catch((e: Error) => this.logger.warn(e.message)),
    );
    void this.tick().catch((e: Error) => this.logger.warn(e.message));
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.unlisten?.();
    this.unlisten = null;
    this.stillLeading = () => false;
    this.lastCheck.clear();
    this.healthy = new Set();
    this.awaitingRouter = new Map();
    this.cache = { at: 0, items: [] };
  }

  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      await this.markHealthy();
      await this.markRouted();
      await this.checkDue();
    } finally {
      this.ticking = false;
    }
  }

  /** The instances and their health checks, read again every REFRESH_MS (not every tick). */
  private async watched(): Promise<Watched[]> {
    if (Date.now() - this.cache.at < REFRESH_MS) return this.cache.items;
    const rows = await this.instances.listInStatesUnscoped(['STARTING', 'RUNNING']);
    const specs = new Map<string, HealthCheckSpec | null>();
    const items: Watched[] = [];
    for (const row of rows) {
      if (!specs.has(row.processGuid)) {
        const process = await this.processes
          .getProcess(PLATFORM_VISIBILITY, row.processGuid)
          .catch(() => null);
        specs.set(row.processGuid, process ? healthCheckSpec(process) : null);
      }
      const spec = specs.get(row.processGuid);
      if (spec) items.push({ row, spec });
    }
    this.cache = { at: Date.now(), items };
    return items;
  }

  private async checkDue(): Promise<void> {
    const items = await this.watched();
    const now = Date.now();
    const live = new Set<string>();
    const leftHealthy: string[] = [];
    for (const { row, spec } of items) {
      const key = row.instanceGuid;
      live.add(key);
      if (row.state === 'STARTING' && row.healthySince) {
        // Healthy, waiting for the router; one a former leader left gets a change of its own.
        if (!this.awaitingRouter.has(key)) leftHealthy.push(key);
        continue;
      }
      if (this.inFlight.has(key) || this.healthy.has(key) || !row.containerIp) continue;
      const every =
        row.state === 'STARTING'
          ? startingInterval(now - row.stateSince.getTime())
          : spec.intervalSeconds * 1000;
      if (now - (this.lastCheck.get(key) ?? 0) < every) continue;
      this.lastCheck.set(key, now);
      this.inFlight.add(key);
      void this.check(row, row.containerIp, spec)
        .catch((e: Error) => this.logger.warn(`health check of ${key}: ${e.message}`))
        .finally(() => this.inFlight.delete(key));
    }
    for (const key of this.lastCheck.keys()) if (!live.has(key)) this.lastCheck.delete(key);
    for (const key of this.awaitingRouter.keys())
      if (!live.has(key)) this.awaitingRouter.delete(key);
    if (leftHealthy.length > 0 && this.stillLeading()) {
      const change = await this.signals.record(ROUTABLE_INSTANCES_TOPIC);
      for (const key of leftHealthy) this.awaitingRouter.set(key, change);
    }
  }

  private async check(row: InstanceEntity, ip: string, spec: HealthCheckSpec): Promise<void> {
    const result = await checkHealth(spec, ip);
    if (result.healthy) {
      if (row.state === 'STARTING') this.healthy.add(row.instanceGuid);
      return;
    }
    // A starting instance that is not up yet, within its timeout: nothing to change.
    if (
      row.state === 'STARTING' &&
      Date.now() - row.stateSince.getTime() < spec.timeoutSeconds * 1000
    )
      return;
    await this.crash(row.guid, row.instanceGuid, spec, result.reason);
  }

  /**
   * The starting instances whose check passed become healthy, all in one write, and the router
   * is told with a numbered change that they wait for.
   */
  private async markHealthy(): Promise<void> {
    if (this.healthy.size === 0 || !this.stillLeading()) return;
    const guids = [...this.healthy];
    const at = new Date();
    const changed = await this.instances.markHealthy(guids, at);
    for (const guid of guids) this.healthy.delete(guid);
    if (changed.length === 0) return;
    this.updateCached(changed, (row) => (row.healthySince = at));
    const change = await this.signals.record(ROUTABLE_INSTANCES_TOPIC);
    for (const row of changed) this.awaitingRouter.set(row.instanceGuid, change);
    await Promise.all(
      changed.map((row) =>
        this.lifecycle.line(
          row.appGuid,
          `CELL/${row.index}`,
          row.index,
          'Container became healthy',
        ),
      ),
    );
  }

  /** The healthy instances whose change the router acknowledged become RUNNING, in one write. */
  private async markRouted(): Promise<void> {
    if (this.awaitingRouter.size === 0 || !this.stillLeading()) return;
    const { latest, applied } = await this.signals.progress(ROUTABLE_INSTANCES_TOPIC);
    if (latest < Math.max(...this.awaitingRouter.values())) {
      // Redis lost the count: one new change for every waiting instance.
      const change = await this.signals.record(ROUTABLE_INSTANCES_TOPIC);
      for (const key of this.awaitingRouter.keys()) this.awaitingRouter.set(key, change);
      return;
    }
    const guids = [...this.awaitingRouter].filter(([, n]) => n <= applied).map(([g]) => g);
    if (guids.length === 0) return;
    const changed = await this.instances.markRunning(guids);
    for (const guid of guids) this.awaitingRouter.delete(guid);
    this.updateCached(changed, (row) => {
      row.state = 'RUNNING';
      row.stateSince = row.healthySince ?? new Date();
    });
    // A rolling restart waits for this to replace the next instance.
    for (const appGuid of new Set(changed.map((r) => r.appGuid))) await this.converge.now(appGuid);
  }

  /** The cached rows of instances just written, changed alike until the next read. */
  private updateCached(changed: InstanceEntity[], update: (row: InstanceEntity) => void): void {
    const guids = new Set(changed.map((r) => r.instanceGuid));
    for (const item of this.cache.items) {
      if (guids.has(item.row.instanceGuid) && item.row.state === 'STARTING') update(item.row);
    }
  }

  /** A start timeout or a failed check of a running instance: a crash, under the app's lock. */
  private async crash(
    slotGuid: string,
    instanceGuid: string,
    spec: HealthCheckSpec,
    reason: string,
  ): Promise<void> {
    const fresh = await this.instances.findByGuid(slotGuid);
    if (!fresh || fresh.instanceGuid !== instanceGuid) return;
    await this.lock.withLock(fresh.appGuid, async () => {
      const row = await this.instances.findByGuid(slotGuid);
      if (!row || row.instanceGuid !== instanceGuid || !this.stillLeading()) return;
      const cell = `CELL/${row.index}`;
      if (row.state === 'STARTING') {
        // Healthy and waiting for the router: no start timeout any more.
        if (row.healthySince) return;
        const waited = Date.now() - row.stateSince.getTime();
        if (waited < spec.timeoutSeconds * 1000) return;
        await this.lifecycle.line(row.appGuid, 'HEALTH/0', row.index, reason);
        await this.lifecycle.recordCrash(row, {
          exitStatus: -1,
          description: `Start app timeout: instance never healthy after ${spec.timeoutSeconds}s: ${reason}`,
        });
      } else if (row.state === 'RUNNING') {
        await this.lifecycle.line(row.appGuid, cell, row.index, 'Container became unhealthy');
        await this.lifecycle.recordCrash(row, {
          exitStatus: -1,
          description: `Instance became unhealthy: ${reason}`,
        });
      }
    });
  }
}

/**
 * How often a starting instance is checked: often in its first seconds, so an app that boots in
 * 300 ms is routable right after, then every 2 s as CF does until the start timeout.
 */
export function startingInterval(startedForMs: number): number {
  if (startedForMs < 2000) return 100;
  if (startedForMs < 5000) return 500;
  return HEALTH_DEFAULTS.startingIntervalMs;
}
