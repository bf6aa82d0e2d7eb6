import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientTls, createTestTls } from '../../../test/support/test-tls';
import type { ContainerRuntime } from './container-runtime.port';
import { ContainerRuntimeFactory, createContainerRuntime } from './container-runtime.factory';
import { dockerEndpointProblem, EngineTls, isLoopbackHost } from './docker-endpoint.policy';
import { RuntimeError } from './runtime.errors';

let dir: string;
let tls: EngineTls;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wharf-tls-policy-'));
  tls = clientTls(createTestTls(dir));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('isLoopbackHost', () => {
  it.each(['localhost', 'LOCALHOST', '127.0.0.1', '127.1.2.3', '[::1]', '::1', '[::ffff:7f00:1]'])(
    '%s stays on this machine',
    (host) => expect(isLoopbackHost(host)).toBe(true),
  );

  it.each([
    '10.0.0.5',
    '128.0.0.1',
    '0.0.0.0',
    '[::]',
    '[::ffff:a00:5]',
    '[fe80::1]',
    'cell-1.example.com',
    '127.0.0.1.nip.io',
    'localhost.example.com',
    // Not dotted-quad: a resolver may read it as anything, so it is not taken for loopback.
    '127.1',
  ])('%s may be remote', (host) => expect(isLoopbackHost(host)).toBe(false));
});

describe('dockerEndpointProblem', () => {
  it('allows a unix socket, and plain TCP to loopback only', () => {
    expect(dockerEndpointProblem('unix:///run/wharf/docker.sock')).toBeNull();
    expect(dockerEndpointProblem('tcp://127.0.0.1:2375')).toBeNull();
    expect(dockerEndpointProblem('tcp://localhost:2375')).toBeNull();
    expect(dockerEndpointProblem('tcp://[::1]:2375')).toBeNull();
    for (const remote of ['tcp://10.0.0.5:2375', 'tcp://cell-1.example.com:2376', 'tcp://0.0.0.0'])
      expect(dockerEndpointProblem(remote)).toMatch(
        /^refusing plain TCP to the Docker engine at tcp:.*root on its host.*--tls-ca, --tls-cert, --tls-key/,
      );
  });

  it('allows any TCP host with TLS material that parses and belongs together', () => {
    expect(dockerEndpointProblem('tcp://10.0.0.5:2376', tls)).toBeNull();
    expect(dockerEndpointProblem('tcp://127.0.0.1:2376', tls)).toBeNull();
  });

  it('refuses TLS material that is not PEM, or a key of another certificate', () => {
    const at = 'tcp://10.0.0.5:2376';
    expect(dockerEndpointProblem(at, { ...tls, ca: 'junk' })).toBe(
      'the TLS CA is not a PEM certificate',
    );
    expect(dockerEndpointProblem(at, { ...tls, cert: tls.key })).toBe(
      'the TLS client certificate is not a PEM certificate',
    );
    expect(dockerEndpointProblem(at, { ...tls, key: tls.cert })).toMatch(
      /^the TLS client key is not a PEM private key/,
    );
    const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    expect(dockerEndpointProblem(at, { ...tls, key: other })).toBe(
      'the TLS client key does not belong to the client certificate',
    );
  });

  it('refuses TLS material on a unix socket, and endpoints it cannot speak to', () => {
    expect(dockerEndpointProblem('unix:///run/docker.sock', tls)).toMatch(
      /tcp:\/\/ endpoints only/,
    );
    expect(dockerEndpointProblem('ssh://cell')).toMatch(
      /^unsupported Docker endpoint ssh:\/\/cell/,
    );
    expect(dockerEndpointProblem('docker.sock')).toMatch(/^invalid Docker endpoint docker.sock/);
  });
});

describe('the runtime factory and adapter', () => {
  const created: Array<{ endpoint: string; tls: EngineTls | null | undefined }> = [];
  const factory = new ContainerRuntimeFactory((endpoint, material) => {
    created.push({ endpoint, tls: material });
    return { endpoint } as ContainerRuntime;
  });
  beforeEach(() => (created.length = 0));

  it('refuse plain TCP to a remote engine, as a RuntimeError naming it', () => {
    const refused = () => factory.forEndpoint('tcp://10.0.0.5:2375');
    expect(refused).toThrow(RuntimeError);
    expect(refused).toThrow(/refusing plain TCP to the Docker engine at tcp:\/\/10\.0\.0\.5:2375/);
    expect(() => factory.forCell({ dockerEndpoint: 'tcp://10.0.0.5:2375', tls: null })).toThrow(
      RuntimeError,
    );
    // Whatever builds the runtime, the adapter itself refuses too.
    expect(() => createContainerRuntime('tcp://10.0.0.5:2375')).toThrow(/refusing plain TCP/);
    expect(created).toEqual([]);
  });

  it("hand a cell's TLS material to the runtime, one runtime per endpoint and material", () => {
    const cell = { dockerEndpoint: 'tcp://10.0.0.5:2376', tls };
    const first = factory.forCell(cell);
    expect(factory.forCell({ ...cell, tls: { ...tls } })).toBe(first);
    expect(created).toEqual([{ endpoint: 'tcp://10.0.0.5:2376', tls }]);
    const renewed = factory.forCell({ ...cell, tls: { ...tls, ca: `${tls.ca}\n` } });
    expect(renewed).not.toBe(first);
    expect(created).toHaveLength(2);
    expect(factory.forEndpoint('unix:///run/cell.sock')).toBe(
      factory.forCell({ dockerEndpoint: 'unix:///run/cell.sock', tls: null }),
    );
  });

  it('build a TLS adapter for a remote engine given the material', () => {
    expect(createContainerRuntime('tcp://10.0.0.5:2376', tls).endpoint).toBe('tcp://10.0.0.5:2376');
  });
});
