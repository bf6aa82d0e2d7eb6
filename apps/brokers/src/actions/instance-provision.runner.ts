import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { findPlan, findService } from '../catalog/broker-catalog';
import { ServiceDrivers } from '../drivers/service-drivers';
import { BrokerDatabase } from '../store/broker-database';
import { ServiceInstanceRepository } from '../store/service-instance.repository';

/**
 * Runs asynchronous provisions (202) in the background and records how they ended, for
 * last_operation. An operation holds its instance's lock while it runs, so only one broker process
 * works on it; one cut short by a restart is resumed at boot (drivers are idempotent), so an
 * instance never stays "in progress" because its process died.
 */
@Injectable()
export class InstanceProvisionRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ProvisionRunner');
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    private readonly db: BrokerDatabase,
    private readonly instances: ServiceInstanceRepository,
    private readonly drivers: ServiceDrivers,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const instance of await this.instances.findInProgress()) this.start(instance.id);
  }

  /** Lets running operations finish before the pool closes (a shutdown waits for them). */
  async onModuleDestroy(): Promise<void> {
    await Promise.allSettled([...this.running.values()]);
  }

  start(instanceId: string): void {
    if (this.running.has(instanceId)) return;
    const run = this.run(instanceId)
      .catch((err: unknown) => {
        this.logger.error(
          `provision of ${instanceId} could not record its outcome: ${String(err)}`,
        );
      })
      .finally(() => this.running.delete(instanceId));
    this.running.set(instanceId, run);
  }

  /** Resolves when the instance's operation in this process (if any) has ended; for tests. */
  async settled(instanceId: string): Promise<void> {
    await this.running.get(instanceId);
  }

  private async run(instanceId: string): Promise<void> {
    await this.db.tryWithLock(instanceId, async () => {
      const instance = await this.instances.find(instanceId);
      if (!instance || instance.state !== 'in progress') return;
      const service = findService(instance.serviceId);
      const plan = service && findPlan(service, instance.planId);
      if (!service || !plan) {
        await this.instances.recordOutcome(instanceId, {
          state: 'failed',
          description: 'The plan of this instance is no longer offered.',
        });
        return;
      }
      try {
        const resource = await this.drivers.for(service).provision(instance, plan);
        await this.instances.recordOutcome(instanceId, {
          state: 'succeeded',
          description: `The ${service.name} instance is ready.`,
          resource,
        });
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        this.logger.error(`provision of ${service.name} instance ${instanceId} failed: ${message}`);
        await this.instances.recordOutcome(instanceId, {
          state: 'failed',
          description: `Provisioning failed: ${message}`,
        });
      }
    });
  }
}
