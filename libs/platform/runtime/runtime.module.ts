import { Global, Module } from '@nestjs/common';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';
import { ContainerRuntimeFactory } from './container-runtime.factory';
import { CONTAINER_RUNTIME, CONTAINER_RUNTIME_FACTORY } from './container-runtime.port';

/**
 * Provides the configured engine's runtime (`CONTAINER_RUNTIME`, from `WharfConfig.dockerHost`)
 * and the factory that hands out one runtime per cell endpoint (by class or by
 * `CONTAINER_RUNTIME_FACTORY`); both share one cache.
 */
@Global()
@Module({
  providers: [
    { provide: ContainerRuntimeFactory, useFactory: () => new ContainerRuntimeFactory() },
    { provide: CONTAINER_RUNTIME_FACTORY, useExisting: ContainerRuntimeFactory },
    {
      provide: CONTAINER_RUNTIME,
      inject: [ContainerRuntimeFactory, WHARF_CONFIG],
      useFactory: (factory: ContainerRuntimeFactory, config: WharfConfig) =>
        factory.forEndpoint(config.dockerHost),
    },
  ],
  exports: [CONTAINER_RUNTIME, CONTAINER_RUNTIME_FACTORY, ContainerRuntimeFactory],
})
export class RuntimeModule {}
