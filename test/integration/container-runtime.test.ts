import { randomBytes } from 'node:crypto';
import { createContainerRuntime } from '@wharf/platform/runtime';
import { runtimeContract } from './support/runtime-contract';
import { testConfig } from '../support/test-env';

/**
 * The contract suite for ContainerRuntime against the test installation's own engine, on its
 * unix socket; container-runtime-tls.test.ts runs it once more over mutual TLS.
 */
jest.setTimeout(60_000);

/** The test installation's engine; the default socket when `npm test` has not prepared one. */
function engineEndpoint(): string {
  try {
    return testConfig().dockerHost;
  } catch {
    return 'unix:///run/wharf/docker.sock';
  }
}

function appsNetwork(): string | undefined {
  try {
    return testConfig().apps.network;
  } catch {
    return undefined;
  }
}

runtimeContract({
  engine: 'unix socket',
  runtime: () => createContainerRuntime(engineEndpoint()),
  networking: { appsNetwork: appsNetwork() },
});

describe('ContainerRuntime (no engine)', () => {
  it('reports an unreachable engine as unavailable, naming it', async () => {
    const mine = { 'wharf.test-run': randomBytes(4).toString('hex') };
    const gone = createContainerRuntime('unix:///nonexistent.sock');
    await expect(gone.ping()).rejects.toMatchObject({ kind: 'unavailable' });
    await expect(gone.ping()).rejects.toThrow('unix:///nonexistent.sock');
    await expect(gone.listContainers({ labels: mine })).rejects.toMatchObject({
      kind: 'unavailable',
    });
    const refused = createContainerRuntime('tcp://127.0.0.1:1');
    await expect(refused.info()).rejects.toMatchObject({ kind: 'unavailable' });
    await expect(refused.info()).rejects.toThrow('tcp://127.0.0.1:1');
  });
});
