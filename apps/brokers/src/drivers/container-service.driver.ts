import { createHash, randomBytes } from 'node:crypto';
import type { WharfConfig } from '@wharf/platform/config';
import { type ContainerRuntime, type ContainerSpec, RuntimeError } from '@wharf/platform/runtime';
import type { BrokerPlan, BrokerService } from '../catalog/broker-catalog';
import type { BindingRecord, DriverResource, InstanceRecord } from '../store/broker-records';
import type { ServiceImageBuilder } from './service-image.builder';
import type { BindResult, ServiceDriver } from './service-driver';
import { SERVICES_ZONE, type ServiceHosts } from './service-hosts';

/** What differs between the services that run one container per instance. */
export interface ContainerServiceDefinition {
  service: BrokerService['name'];
  /** Dockerfile instructions after `FROM wharf/stack-run` (install the Debian package). */
  dockerfile: string;
  port: number;
  /** Where the service keeps its data (a named volume per instance); none for a pure cache. */
  dataDir?: string;
  user: string;
  secrets(): Record<string, string>;
  /** The service's command line; secrets arrive in the environment, not in the arguments. */
  command(plan: BrokerPlan): string[];
  env(secrets: Record<string, string>): Record<string, string>;
  /** A command run in the container that exits 0 once the service answers. */
  readyCheck(secrets: Record<string, string>): string[];
  credentials(host: string, port: number, secrets: Record<string, string>): Record<string, unknown>;
}

/** Memory the container gets beyond the service's own limit (process, buffers, fork for saves). */
const OVERHEAD_MB = 64;
const READY_TIMEOUT_MS = 60_000;

/** What the keeper found and did about one instance's container. */
export interface KeptContainer {
  name: string;
  ip: string;
  /** `created`: the container was gone and was made again on its volume; `started`: it was stopped. */
  repaired: 'created' | 'started' | null;
}

/**
 * A service instance as a container of its own: on the installation's apps network (app
 * containers reach it there, nothing publishes it on the host), a memory limit by plan, its data
 * on a named volume that outlives the container, restarted by the engine if it dies, made again by
 * the keeper if it is removed, and labelled with the installation so `down --purge` removes it.
 * Found again by its labels, never by name. Apps reach it by a name of its own in
 * services.internal (ServiceHosts), which follows the container to its new address.
 */
export class ContainerServiceDriver implements ServiceDriver {
  readonly service: BrokerService['name'];

  constructor(
    private readonly definition: ContainerServiceDefinition,
    protected readonly runtime: ContainerRuntime,
    private readonly images: ServiceImageBuilder,
    private readonly config: WharfConfig,
    private readonly hosts: ServiceHosts,
  ) {
    this.service = definition.service;
  }

  newSecrets(): Record<string, string> {
    return this.definition.secrets();
  }

  async provision(instance: InstanceRecord, plan: BrokerPlan): Promise<DriverResource> {
    const d = this.definition;
    const image = await this.images.ensure(d.service, d.dockerfile);
    const labels = this.labels(instance.id);
    const volume = d.dataDir ? this.volumeName(instance.id) : null;
    if (volume) await this.runtime.ensureVolume({ name: volume, labels });
    let id = await this.findContainer(instance.id);
    if (!id) {
      id = await this.runtime.createContainer(
        serviceContainerSpec(d, {
          installation: this.config.installation,
          network: this.config.apps.network,
          instanceId: instance.id,
          secrets: instance.secrets,
          plan,
          image,
          labels,
          volume,
        }),
      );
    }
    await this.runtime.startContainer(id);
    await this.waitReady(id, instance.secrets);
    const host = await this.addressOf(id);
    if (this.hosts.enabled) await this.hosts.set(this.hostName(instance.id), host);
    return { containerId: id, host, ...(volume ? { volume } : {}) };
  }

  /**
   * Puts a provisioned instance's container back if it is gone (created again with the same
   * volume, secrets and name: its data and its bindings' users are kept) or stopped (started), and
   * says where it is now. Idempotent; the caller holds the instance's lock.
   */
  async keep(instance: InstanceRecord, plan: BrokerPlan): Promise<KeptContainer> {
    const id = await this.findContainer(instance.id);
    let repaired: KeptContainer['repaired'] = null;
    let ip: string;
    if (!id) {
      ip = (await this.provision(instance, plan)).host ?? '';
      repaired = 'created';
    } else {
      const state = await this.runtime.inspectContainer(id);
      // A crashed container is the engine's to restart (unless-stopped); one that was stopped
      // (exited, or created and never started) stays down until someone starts it.
      if (state && (state.state === 'exited' || state.state === 'created')) {
        await this.runtime.startContainer(id);
        await this.waitReady(id, instance.secrets);
        repaired = 'started';
      }
      ip = await this.addressOf(id);
    }
    return { name: this.hostName(instance.id), ip, repaired };
  }

  /** The instance's name in services.internal. */
  hostName(instanceId: string): string {
    return `${this.service}-${digest(instanceId).slice(0, 12)}.${SERVICES_ZONE}`;
  }

  async deprovision(instance: InstanceRecord): Promise<void> {
    const id = await this.findContainer(instance.id);
    if (id) {
      try {
        await this.runtime.removeContainer(id, { force: true });
      } catch (err) {
        if (!RuntimeError.is(err, 'not_found')) throw err;
      }
    }
    if (this.definition.dataDir) await this.runtime.removeVolume(this.volumeName(instance.id));
    if (this.hosts.enabled) await this.hosts.delete(this.hostName(instance.id));
  }

  async bind(instance: InstanceRecord, _bindingId: string): Promise<BindResult> {
    const id = await this.findContainer(instance.id);
    if (!id) throw new Error(`the ${this.service} container of instance ${instance.id} is gone`);
    // The address now: the engine may have given a restarted container another one. Apps get
    // the instance's name, which follows the container wherever it is made again.
    const ip = await this.addressOf(id);
    let host = ip;
    if (this.hosts.enabled) {
      host = this.hostName(instance.id);
      if (this.hosts.address(host) !== ip) await this.hosts.set(host, ip);
    }
    const port = this.definition.port;
    return {
      credentials: this.definition.credentials(host, port, instance.secrets),
      resource: { host },
      endpoints: [{ host, ports: [String(port)] }],
    };
  }

  /** Bindings share the instance's address (memcached has no users): nothing to revoke. */
  async unbind(_instance: InstanceRecord, _binding: BindingRecord): Promise<void> {}

  private labels(instanceId: string): Record<string, string> {
    return {
      'wharf.managed': 'true',
      'wharf.installation': this.config.installation,
      'wharf.service': this.service,
      'wharf.service_instance_id': instanceId,
    };
  }

  private volumeName(instanceId: string): string {
    return `wharf-${this.config.installation}-${this.service}-${digest(instanceId).slice(0, 24)}`;
  }

  protected async findContainer(instanceId: string): Promise<string | null> {
    const found = await this.runtime.listContainers({
      labels: {
        'wharf.installation': this.config.installation,
        'wharf.service_instance_id': instanceId,
      },
      all: true,
    });
    return found[0]?.id ?? null;
  }

  private async addressOf(id: string): Promise<string> {
    const state = await this.runtime.inspectContainer(id);
    if (!state?.ipAddress) throw new Error(`the ${this.service} container ${id} has no address`);
    return state.ipAddress;
  }

  private async waitReady(id: string, secrets: Record<string, string>): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    let last = '';
    while (Date.now() < deadline) {
      const state = await this.runtime.inspectContainer(id);
      if (state?.state === 'running') {
        const r = await this.runtime.exec(id, { cmd: this.definition.readyCheck(secrets) });
        if (r.exitCode === 0) return;
        last = (r.stderr || r.stdout).trim();
      } else {
        last = `container is ${state?.state ?? 'gone'}`;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`the ${this.service} server did not become ready in 60 s (${last})`);
  }
}

export interface ServiceContainerInput {
  installation: string;
  /** The installation's apps network; the engine's default when empty. */
  network: string;
  instanceId: string;
  secrets: Record<string, string>;
  plan: BrokerPlan;
  image: string;
  labels: Record<string, string>;
  /** The instance's named volume, mounted at the definition's data directory. */
  volume: string | null;
}

/**
 * The container of a service instance exactly as the driver creates it: unprivileged (no
 * capabilities, no privilege gain, an init), memory and pids limited, on the apps network.
 * A pure function so that tests start the same container.
 */
export function serviceContainerSpec(
  d: ContainerServiceDefinition,
  input: ServiceContainerInput,
): ContainerSpec {
  const memoryMb = input.plan.memoryMb ?? 64;
  return {
    name: `wharf-${input.installation}-${d.service}-${digest(input.instanceId).slice(0, 12)}`,
    image: input.image,
    cmd: d.command(input.plan),
    env: d.env(input.secrets),
    labels: input.labels,
    user: d.user,
    memoryBytes: (memoryMb + OVERHEAD_MB) * 1024 * 1024,
    memorySwapBytes: (memoryMb + OVERHEAD_MB) * 1024 * 1024,
    pidsLimit: 256,
    capDrop: ['ALL'],
    securityOpt: ['no-new-privileges'],
    network: input.network || undefined,
    restartPolicy: 'unless-stopped',
    volumes: input.volume && d.dataDir ? [{ name: input.volume, target: d.dataDir }] : undefined,
    stopTimeoutSeconds: 10,
    init: true,
  };
}

function digest(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** A password of letters and digits only: safe in URIs and shell words alike. */
export function generatedPassword(): string {
  return randomBytes(32)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 32);
}
