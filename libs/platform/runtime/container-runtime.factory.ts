import { createHash } from 'node:crypto';
import type { ContainerRuntime } from './container-runtime.port';
import { DockerContainerRuntime } from './docker-container.runtime';
import { dockerEndpointProblem, EngineTls } from './docker-endpoint.policy';
import { RuntimeError } from './runtime.errors';

/** How to reach a cell's engine: its endpoint and, for `tcp://`, its TLS material. */
export interface EngineConnection {
  dockerEndpoint: string;
  tls?: EngineTls | null;
}

/**
 * A runtime for one Docker endpoint (`unix:///…` or `tcp://host:port`, over mutual TLS when
 * `tls` is given). Throws a RuntimeError for an endpoint the policy refuses.
 */
export function createContainerRuntime(
  dockerHost: string,
  tls?: EngineTls | null,
): ContainerRuntime {
  return new DockerContainerRuntime({ dockerHost, ...(tls ? { tls } : {}) });
}

/**
 * One runtime per cell endpoint (and TLS material), created on first use and then reused (each
 * keeps its own connection settings). Tests may pass their own `create` to hand out fakes; the
 * endpoint policy holds for them too.
 */
export class ContainerRuntimeFactory {
  private readonly runtimes = new Map<string, ContainerRuntime>();

  constructor(
    private readonly create: (
      endpoint: string,
      tls?: EngineTls | null,
    ) => ContainerRuntime = createContainerRuntime,
  ) {}

  forCell(cell: EngineConnection): ContainerRuntime {
    return this.forEndpoint(cell.dockerEndpoint, cell.tls);
  }

  forEndpoint(endpoint: string, tls?: EngineTls | null): ContainerRuntime {
    // Checked here as well as where cells are registered: a row written by hand, or a
    // configured WHARF_DOCKER_HOST, must not get plain TCP to a remote engine either.
    const problem = dockerEndpointProblem(endpoint, tls);
    if (problem) throw new RuntimeError('failed', problem);
    // New TLS material for the same endpoint (a renewed certificate) gets a new client.
    const key = tls
      ? `${endpoint}#${createHash('sha256')
          .update(JSON.stringify([tls.ca, tls.cert, tls.key]))
          .digest('hex')}`
      : endpoint;
    let runtime = this.runtimes.get(key);
    if (!runtime) {
      runtime = this.create(endpoint, tls);
      this.runtimes.set(key, runtime);
    }
    return runtime;
  }
}
