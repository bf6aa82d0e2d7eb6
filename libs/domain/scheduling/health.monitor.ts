import { Injectable, Logger } from '@nestjs/common';
import { ProcessesQueryService } from '@wharf/apps';
import { PLATFORM_VISIBILITY } from '@wharf/identity';
import { AppLock } from './app.lock';
import { checkHealth, HEALTH_DEFAULTS, healthCheckSpec } from './health-check';
import { InstanceRepository } from './instance.repository';
import { InstanceLifecycle } from './instance-lifecycle';

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

  constructor(
    private readonly instances: InstanceRepository,
    private readonly processes: ProcessesQueryService,
    private readonly lifecycle: InstanceLifecycle,
    private readonly lock: AppLock,
  ) {}

  start(): void {
    this.timer ??= setInterval(
      () => void this.tick().catch((e: Error) => this.logger.warn(e.message)),
      500,
    );
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.lastCheck.clear();
  }

  private async tick(): Promise<void> {
    const rows = await this.instances.listInStatesUnscoped(['STARTING', 'RUNNING']);
    const now = Date.now();
    for (const row of rows) {
      const key = row.instanceGuid;
      if (this.inFlight.has(key) || !row.containerIp) continue;
      const process = await this.processes
        .getProcess(PLATFORM_VISIBILITY, row.processGuid)
        .catch(() => null);
      if (!process) continue;
      const spec = healthCheckSpec(process);
      const every =
        row.state === 'STARTING' ? HEALTH_DEFAULTS.startingIntervalMs : spec.intervalSeconds * 1000;
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
