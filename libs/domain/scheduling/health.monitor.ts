import { Injectable, Logger } from '@nestjs/common';
import { AppConvergeTrigger, ProcessesQueryService } from '@wharf/apps';
import { PLATFORM_VISIBILITY } from '@wharf/access';
import { AppLock } from './app.lock';
import { checkHealth, HEALTH_DEFAULTS, healthCheckSpec } from './health-check';
import { InstanceEntity } from './instance.entity';
import { InstanceRepository } from './instance.repository';
import { InstanceLifecycle } from './instance-lifecycle';

const TICK_MS = 100;
const REFRESH_MS = 300;

/**
 * CF's health checks, run by the scheduler leader: a starting instance is checked every 2 s until
 * healthy (then RUNNING) or until its start timeout (then crashed: "Start app timeout"); a running
 * one every `interval` (30 s), and a failed check replaces it as a crash.
 */
@Injectable()
export class HealthMonitor {
  private readonly logger = new Logger('Health');
  private timer: NodeJS.Timeout | null = null;
  private readonly lastCheck = new Map<string, number>();
  private readonly inFlight = new Set<string>();
  private ticking = false;
  private cache: {
    at: number;
    items: { row: InstanceEntity; spec: ReturnType<typeof healthCheckSpec> }[];
  } = { at: 0, items: [] };

  constructor(
    private readonly instances: InstanceRepository,
    private readonly processes: ProcessesQueryService,
    private readonly lifecycle: InstanceLifecycle,
    private readonly lock: AppLock,
    private readonly converge: AppConvergeTrigger,
  ) {}

  start(): void {
    this.timer ??= setInterval(
      () => void this.tick().catch((e: Error) => this.logger.warn(e.message)),
      TICK_MS,
    );
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.lastCheck.clear();
    this.cache = { at: 0, items: [] };
  }

  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      await this.checkDue();
    } finally {
      this.ticking = false;
    }
  }

  /** The instances and their health checks, read again every REFRESH_MS (not every tick). */
  private async watched(): Promise<
    { row: InstanceEntity; spec: ReturnType<typeof healthCheckSpec> }[]
  > {
    if (Date.now() - this.cache.at < REFRESH_MS) return this.cache.items;
    const rows = await this.instances.listInStatesUnscoped(['STARTING', 'RUNNING']);
    const specs = new Map<string, ReturnType<typeof healthCheckSpec> | null>();
    const items: { row: InstanceEntity; spec: ReturnType<typeof healthCheckSpec> }[] = [];
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
    const rows = items.map((i) => i.row);
    const now = Date.now();
    for (const { row, spec } of items) {
      const key = row.instanceGuid;
      if (this.inFlight.has(key) || !row.containerIp) continue;
      const every =
        row.state === 'STARTING'
          ? startingInterval(now - row.stateSince.getTime())
          : spec.intervalSeconds * 1000;
      if (now - (this.lastCheck.get(key) ?? 0) < every) continue;
      this.lastCheck.set(key, now);
      this.inFlight.add(key);
      void this.check(row.guid, key, row.containerIp, spec)
        .catch((e: Error) => this.logger.warn(`health check of ${key}: ${e.message}`))
        .finally(() => this.inFlight.delete(key));
    }
    for (const key of this.lastCheck.keys()) {
      if (!rows.some((r) => r.instanceGuid === key)) this.lastCheck.delete(key);
    }
  }

  private async check(
    slotGuid: string,
    instanceGuid: string,
    ip: string,
    spec: ReturnType<typeof healthCheckSpec>,
  ): Promise<void> {
    const result = await checkHealth(spec, ip);
    const fresh = await this.instances.findByGuid(slotGuid);
    if (!fresh || fresh.instanceGuid !== instanceGuid) return;
    // A starting instance that is not up yet, within its timeout: nothing to change.
    const waiting =
      !result.healthy &&
      fresh.state === 'STARTING' &&
      Date.now() - fresh.stateSince.getTime() < spec.timeoutSeconds * 1000;
    if (waiting) return;
    await this.lock.withLock(fresh.appGuid, async () => {
      const row = await this.instances.findByGuid(slotGuid);
      if (!row || row.instanceGuid !== instanceGuid) return;
      const cell = `CELL/${row.index}`;
      if (result.healthy) {
        if (row.state !== 'STARTING') return;
        row.state = 'RUNNING';
        row.stateSince = new Date();
        row.healthySince = new Date();
        row.details = null;
        await this.instances.save(row);
        await this.lifecycle.line(row.appGuid, cell, row.index, 'Container became healthy');
        // A rolling restart waits for this to replace the next instance.
        await this.converge.now(row.appGuid);
        return;
      }
      if (row.state === 'STARTING') {
        const waited = Date.now() - row.stateSince.getTime();
        if (waited < spec.timeoutSeconds * 1000) return;
        await this.lifecycle.line(row.appGuid, 'HEALTH/0', row.index, result.reason);
        await this.lifecycle.recordCrash(row, {
          exitStatus: -1,
          description: `Start app timeout: instance never healthy after ${spec.timeoutSeconds}s: ${result.reason}`,
        });
      } else if (row.state === 'RUNNING') {
        await this.lifecycle.line(row.appGuid, cell, row.index, 'Container became unhealthy');
        await this.lifecycle.recordCrash(row, {
          exitStatus: -1,
          description: `Instance became unhealthy: ${result.reason}`,
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
