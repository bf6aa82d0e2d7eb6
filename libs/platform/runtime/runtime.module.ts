import { Global, Module } from '@nestjs/common';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';
import {
  CONTAINER_RUNTIME,
  CONTAINER_RUNTIME_FACTORY,
  ContainerRuntime,
  ContainerRuntimeFactory,
} from './container-runtime.port';
import { DockerContainerRuntime } from './docker-container.runtime';

/** One runtime per Docker endpoint, created on first use (cells share nothing else). */
export class CachingContainerRuntimeFactory implements ContainerRuntimeFactory {
  private readonly runtimes = new Map<string, ContainerRuntime>();

  forEndpoint(endpoint: string): ContainerRuntime {
    let runtime = this.runtimes.get(endpoint);
    if (!runtime) {
      runtime = createContainerRuntime(endpoint);
      this.runtimes.set(endpoint, runtime);
    }
    return runtime;
  }
}

export function createContainerRuntime(dockerHost: string): ContainerRuntime {
  return new DockerContainerRuntime({ dockerHost });
}

@Global()
@Module({
  providers: [
    { provide: CONTAINER_RUNTIME_FACTORY, useClass: CachingContainerRuntimeFactory },
    {
      provide: CONTAINER_RUNTIME,
      inject: [CONTAINER_RUNTIME_FACTORY, WHARF_CONFIG],
      useFactory: (factory: ContainerRuntimeFactory, config: WharfConfig) =>
        factory.forEndpoint(config.dockerHost),
    },
  ],
  exports: [CONTAINER_RUNTIME, CONTAINER_RUNTIME_FACTORY],
})
export class RuntimeModule {}
