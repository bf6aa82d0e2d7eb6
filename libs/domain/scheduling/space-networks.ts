import { Inject, Injectable, Logger } from '@nestjs/common';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';
import { ContainerRuntime, RuntimeError } from '@wharf/platform/runtime';
import { spaceNetwork } from './space-network';

/**
 * The Docker network app instances of a space run on: created on a cell when the space's first
 * instance starts there, removed by the sweep once no container of the space is left on it.
 * Without a bridge prefix configured (no firewall that knows space networks), every instance
 * runs on the installation's apps network, as before.
 */
@Injectable()
export class SpaceNetworks {
  private readonly logger = new Logger('SpaceNetworks');

  constructor(@Inject(WHARF_CONFIG) private readonly config: WharfConfig) {}

  get enabled(): boolean {
    return this.config.apps.spaceBridgePrefix !== '';
  }

  /** The network an instance of the space belongs on ('' for the engine's default). */
  nameFor(spaceGuid: string): string {
    if (!this.enabled) return this.config.apps.network;
    return spaceNetwork(this.config.installation, this.config.apps.spaceBridgePrefix, spaceGuid)
      .name;
  }

  /** Creates the space's network on the cell unless it is there; returns its name. */
  async ensure(runtime: ContainerRuntime, spaceGuid: string): Promise<string> {
    if (!this.enabled) return this.config.apps.network;
    const ref = spaceNetwork(
      this.config.installation,
      this.config.apps.spaceBridgePrefix,
      spaceGuid,
    );
    await runtime.ensureNetwork({ name: ref.name, labels: ref.labels, bridgeName: ref.bridgeName });
    return ref.name;
  }

  /**
   * Removes the space networks of this installation on the cell whose space has no container
   * there (running or not: a created container keeps its network). One that an instance joined
   * meanwhile is in use and stays (the engine refuses); an instance created on one removed under
   * it fails to start and its launch creates the network again.
   */
  async removeUnused(runtime: ContainerRuntime): Promise<string[]> {
    const networks = await runtime.listNetworks({
      labels: { 'wharf.installation': this.config.installation, 'wharf.space_guid': true },
    });
    if (networks.length === 0) return [];
    const containers = await runtime.listContainers({
      labels: { 'wharf.installation': this.config.installation, 'wharf.space_guid': true },
      all: true,
    });
    const inUse = new Set(containers.map((c) => c.labels['wharf.space_guid']));
    const removed: string[] = [];
    for (const n of networks) {
      if (inUse.has(n.labels['wharf.space_guid'])) continue;
      try {
        await runtime.removeNetwork(n.name);
        removed.push(n.name);
      } catch (err) {
        if (!RuntimeError.is(err, 'conflict')) throw err;
      }
    }
    if (removed.length > 0)
      this.logger.log(`removed unused space network(s) ${removed.join(', ')}`);
    return removed;
  }
}
