import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { WHARF_CONFIG, type WharfConfig } from '@wharf/platform/config';
import { findPlan, findService } from '../catalog/broker-catalog';
import { ContainerServiceDriver, type KeptContainer } from '../drivers/container-service.driver';
import { ServiceDrivers } from '../drivers/service-drivers';
import { ServiceHosts } from '../drivers/service-hosts';
import { BrokerDatabase } from '../store/broker-database';
import { ServiceInstanceRepository } from '../store/service-instance.repository';
import type { InstanceRecord } from '../store/broker-records';

/**
 * Keeps every provisioned container service there: at boot and then every
 * `brokers.keepIntervalMs`, an instance whose container was removed gets it back on the same
 * volume (data, password and bindings' users kept), a stopped one is started, and the
 * services.internal names are rewritten with where each container is now, so bound apps reconnect
 * with the credentials they have. An instance with an operation running (its lock held) is left
 * for the next pass.
 */
@Injectable()
export class ServiceKeeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ServiceKeeper');
  private timer: NodeJS.Timeout | null = null;
  private pass: Promise<void> | null = null;
  /** The last failure logged per instance: a Docker engine that stays away is logged once. */
  private readonly failing = new Map<string, string>();

  constructor(
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
    private readonly db: BrokerDatabase,
    private readonly instances: ServiceInstanceRepository,
    private readonly drivers: ServiceDrivers,
    private readonly hosts: ServiceHosts,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.brokers.keepIntervalMs;
    if (every <= 0) return;
    const tick = () => {
      this.pass ??= this.keepAll()
        .catch((err: unknown) => this.logger.error(`keeping the services failed: ${String(err)}`))
        .finally(() => (this.pass = null));
    };
    tick();
    this.timer = setInterval(tick, every);
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.pass;
  }

  /** One pass over every provisioned container service. */
  async keepAll(): Promise<void> {
    const names = new Map<string, string>();
    for (const instance of await this.instances.findSucceeded()) {
      const driver = this.containerDriver(instance);
      if (!driver) continue;
      const kept = await this.keepLocked(instance.id, driver).then(
        (k) => {
          if (this.failing.delete(instance.id))
            this.logger.log(`the ${driver.service} container of instance ${instance.id} is back`);
          return k;
        },
        (err: unknown) => {
          const message = err instanceof Error ? err.message : String(err);
          if (this.failing.get(instance.id) !== message)
            this.logger.error(
              `the ${driver.service} container of instance ${instance.id} could not be put back (trying again every ${this.config.brokers.keepIntervalMs / 1000} s): ${message}`,
            );
          this.failing.set(instance.id, message);
          return null;
        },
      );
      const name = driver.hostName(instance.id);
      // Busy (another operation holds the instance) or failed: the name keeps its last address.
      const ip = kept?.ip ?? this.hosts.address(name);
      if (ip) names.set(name, ip);
    }
    if (this.hosts.enabled) await this.hosts.replace(names);
  }

  /** Keeps one instance now (tests, and callers that know it needs it); null when it is busy. */
  async keep(instanceId: string): Promise<KeptContainer | null> {
    const instance = await this.instances.find(instanceId);
    const driver = instance && this.containerDriver(instance);
    if (!instance || instance.state !== 'succeeded' || !driver) return null;
    const kept = await this.keepLocked(instanceId, driver);
    if (kept && this.hosts.enabled) await this.hosts.set(kept.name, kept.ip);
    return kept;
  }

  private async keepLocked(
    instanceId: string,
    driver: ContainerServiceDriver,
  ): Promise<KeptContainer | null> {
    return this.db.tryWithLock(instanceId, async () => {
      // Read again under the lock: it may have been deprovisioned since the list was read.
      const instance = await this.instances.find(instanceId);
      const service = instance && findService(instance.serviceId);
      const plan = service && findPlan(service, instance.planId);
      if (!instance || instance.state !== 'succeeded' || !plan) return null;
      const kept = await driver.keep(instance, plan);
      if (kept.repaired === 'created')
        this.logger.warn(
          `the ${driver.service} container of instance ${instanceId} was gone: created it again on its volume (now ${kept.ip}, still ${kept.name})`,
        );
      else if (kept.repaired === 'started')
        this.logger.warn(
          `the ${driver.service} container of instance ${instanceId} was stopped: started it`,
        );
      return kept;
    });
  }

  private containerDriver(instance: InstanceRecord): ContainerServiceDriver | null {
    const service = findService(instance.serviceId);
    const driver = service ? this.drivers.for(service) : null;
    return driver instanceof ContainerServiceDriver ? driver : null;
  }
}
