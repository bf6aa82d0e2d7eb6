import type { ContainerRuntime } from './container-runtime.port';
import { DockerContainerRuntime, DockerEndpointOptions } from './docker-container.runtime';

/** A runtime for one Docker endpoint (`unix:///…` or `tcp://host:port`). */
export function createContainerRuntime(
  dockerHost: string,
  tls?: DockerEndpointOptions['tls'],
): ContainerRuntime {
  return new DockerContainerRuntime({ dockerHost, ...(tls ? { tls } : {}) });
}

/**
 * One runtime per cell endpoint, created on first use and then reused (each keeps its own
 * connection settings). Tests may pass their own `create` to hand out fakes.
 */
export class ContainerRuntimeFactory {
  private readonly runtimes = new Map<string, ContainerRuntime>();

  constructor(
    private readonly create: (endpoint: string) => ContainerRuntime = createContainerRuntime,
  ) {}

  forEndpoint(endpoint: string): ContainerRuntime {
    let runtime = this.runtimes.get(endpoint);
    if (!runtime) {
      runtime = this.create(endpoint);
      this.runtimes.set(endpoint, runtime);
    }
    return runtime;
  }
}
