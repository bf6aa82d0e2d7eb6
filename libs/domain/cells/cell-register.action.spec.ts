import { DomainError } from '@wharf/platform/errors';
import { ContainerRuntimeFactory } from '@wharf/platform/runtime';
import { CellRegisterAction } from './cell-register.action';
import type { CellRepository } from './cell.repository';

describe('CellRegisterAction endpoint policy', () => {
  // Refusal comes before the engine is asked or the database is read: neither is reached.
  const runtimes = new ContainerRuntimeFactory(() => {
    throw new Error('no runtime may be created for a refused endpoint');
  });
  const cells = new Proxy({} as CellRepository, {
    get: () => () => {
      throw new Error('no cell may be read or saved for a refused endpoint');
    },
  });
  const register = new CellRegisterAction(cells, runtimes);

  it('refuses a remote tcp:// endpoint without TLS as CF-UnprocessableEntity', async () => {
    const refusal = register.execute({ name: 'cell-2', dockerEndpoint: 'tcp://10.1.2.3:2375' });
    await expect(refusal).rejects.toBeInstanceOf(DomainError);
    await expect(refusal).rejects.toMatchObject({
      kind: 'unprocessable',
      cf: { code: 10008, title: 'CF-UnprocessableEntity' },
      message: expect.stringMatching(
        /^cell cell-2: refusing plain TCP to the Docker engine at tcp:\/\/10\.1\.2\.3:2375/,
      ) as string,
    });
  });

  it('refuses TLS material that does not parse, and TLS on a unix socket', async () => {
    const junk = { ca: 'x', cert: 'y', key: 'z' };
    await expect(
      register.execute({ name: 'cell-2', dockerEndpoint: 'tcp://10.1.2.3:2376', tls: junk }),
    ).rejects.toMatchObject({
      kind: 'unprocessable',
      message: expect.stringMatching(/the TLS CA is not a PEM/) as string,
    });
    await expect(
      register.execute({ name: 'local', dockerEndpoint: 'unix:///run/docker.sock', tls: junk }),
    ).rejects.toMatchObject({
      kind: 'unprocessable',
      message: expect.stringMatching(/tcp:\/\/ endpoints only/) as string,
    });
  });
});
