import { Test } from '@nestjs/testing';
import { ConfigModule, loadConfig } from '@wharf/platform/config';
import {
  CONTAINER_RUNTIME,
  CONTAINER_RUNTIME_FACTORY,
  ContainerRuntime,
  ContainerRuntimeFactory,
  RuntimeModule,
} from './index';

describe('RuntimeModule', () => {
  it('provides the configured engine and one cached runtime per cell endpoint', async () => {
    const config = loadConfig({
      WHARF_JWT_SECRET: 'x'.repeat(32),
      WHARF_DOCKER_HOST: 'tcp://127.0.0.1:2375',
    });
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(config), RuntimeModule],
    }).compile();

    const runtime = moduleRef.get<ContainerRuntime>(CONTAINER_RUNTIME);
    const factory = moduleRef.get<ContainerRuntimeFactory>(CONTAINER_RUNTIME_FACTORY);
    expect(runtime.endpoint).toBe('tcp://127.0.0.1:2375');
    expect(moduleRef.get(ContainerRuntimeFactory)).toBe(factory);
    expect(factory.forEndpoint('tcp://127.0.0.1:2375')).toBe(runtime);
    const cell = factory.forEndpoint('unix:///run/cell-2.sock');
    expect(cell.endpoint).toBe('unix:///run/cell-2.sock');
    expect(factory.forEndpoint('unix:///run/cell-2.sock')).toBe(cell);
  });

  it('refuses an endpoint it cannot speak to', () => {
    expect(() => new ContainerRuntimeFactory().forEndpoint('ssh://cell')).toThrow(
      /unsupported Docker endpoint ssh:\/\/cell/,
    );
  });
});
