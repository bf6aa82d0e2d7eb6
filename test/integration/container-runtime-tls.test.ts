import { mkdirSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { Client } from 'pg';
import {
  ContainerRuntimeFactory,
  createContainerRuntime,
  RuntimeError,
} from '@wharf/platform/runtime';
import { CellRegisterAction, CellsQueryService } from '@wharf/cells';
import { AdminModule } from '../../apps/admin/src/admin.module';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { clientTls, createTestTls } from '../support/test-tls';
import { runtimeContract } from './support/runtime-contract';
import { TlsDockerEngine } from './support/tls-docker-engine';

/**
 * The contract suite for ContainerRuntime once more, against a Docker engine this file starts on
 * a loopback port with --tlsverify, through the adapter with the client's CA, certificate and
 * key; then what a cell over TCP needs: the engine refuses clients without a certificate of its
 * CA, and a registered cell keeps its material sealed and connects with it.
 */
jest.setTimeout(60_000);

let engine: TlsDockerEngine;

beforeAll(async () => {
  engine = await TlsDockerEngine.start();
}, 120_000);

afterAll(async () => {
  await engine?.stop();
}, 90_000);

// The engine runs with --bridge=none --iptables=false so as not to touch the host's networking:
// the cases that make networks or publish ports are not run against it (see runtimeContract).
runtimeContract({
  engine: 'tcp with mutual TLS',
  runtime: () => createContainerRuntime(engine.tcp, clientTls(engine.certs)),
  networking: false,
});

describe('a Docker engine with --tlsverify', () => {
  it('answers over TLS only a client with a certificate its CA signed', async () => {
    const tls = clientTls(engine.certs);
    await expect(createContainerRuntime(engine.tcp, tls).ping()).resolves.toBeUndefined();

    // Plain HTTP on the TLS port (the policy allows it to loopback; the engine does not).
    const plain = createContainerRuntime(engine.tcp);
    await expect(plain.ping()).rejects.toBeInstanceOf(RuntimeError);

    // TLS that trusts the engine but shows no client certificate: the handshake fails.
    const port = Number(new URL(engine.tcp).port);
    const noCert = new Promise<number>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path: '/_ping', ca: tls.ca, timeout: 10_000 },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', reject);
      req.end();
    });
    await expect(noCert).rejects.toThrow(/certificate|socket hang up|ECONNRESET|alert/i);

    // A certificate of another CA, both ways: the engine refuses the client's, the client the
    // engine's.
    const otherDir = join(engine.root, 'other-ca');
    mkdirSync(otherDir);
    const other = clientTls(createTestTls(otherDir));
    await expect(
      createContainerRuntime(engine.tcp, { ...other, ca: tls.ca }).ping(),
    ).rejects.toBeInstanceOf(RuntimeError);
    await expect(
      createContainerRuntime(engine.tcp, { ...tls, ca: other.ca }).ping(),
    ).rejects.toThrow(/certificate/i);
  });

  describe('registered as a cell', () => {
    let db: TestDatabase;
    let app: INestApplicationContext;
    beforeAll(async () => {
      db = await createTestDatabase();
      app = await NestFactory.createApplicationContext(AdminModule.forRoot(db.config), {
        logger: ['error', 'warn'],
      });
    });
    afterAll(async () => {
      await app?.close();
      await db?.drop();
    });

    it('keeps its TLS material sealed and connects with it', async () => {
      const tls = clientTls(engine.certs);
      const { cell, created } = await app
        .get(CellRegisterAction)
        .execute({ name: 'tls-cell', dockerEndpoint: engine.tcp, tls });
      expect(created).toBe(true);
      expect(cell.memoryCapacityMb).toBeGreaterThan(0);

      const pg = new Client({ connectionString: db.config.databaseUrl });
      await pg.connect();
      try {
        const rows = await pg.query<{ docker_tls: string }>(
          "SELECT docker_tls FROM cells WHERE name = 'tls-cell'",
        );
        const stored = rows.rows[0]?.docker_tls ?? '';
        expect(stored).toMatch(/^v1\./);
        expect(stored).not.toContain('PRIVATE KEY');
        expect(stored).not.toContain('CERTIFICATE');
      } finally {
        await pg.end();
      }

      const [ref] = (await app.get(CellsQueryService).all()).filter((c) => c.name === 'tls-cell');
      expect(ref?.tls).toEqual(tls);
      const runtime = new ContainerRuntimeFactory().forCell({
        dockerEndpoint: ref?.dockerEndpoint ?? '',
        tls: ref?.tls ?? null,
      });
      expect((await runtime.info()).serverVersion).toMatch(/^\d+\.\d+/);
    });

    it('is refused over plain TCP: to a remote host at once, to this engine by the engine', async () => {
      const register = app.get(CellRegisterAction);
      await expect(
        register.execute({ name: 'remote', dockerEndpoint: 'tcp://192.0.2.10:2375' }),
      ).rejects.toMatchObject({
        kind: 'unprocessable',
        cf: { code: 10008, title: 'CF-UnprocessableEntity' },
        message: expect.stringMatching(/refusing plain TCP/) as string,
      });
      await expect(
        register.execute({ name: 'plain', dockerEndpoint: engine.tcp }),
      ).rejects.toMatchObject({ kind: 'unavailable', cf: { code: 10015 } });
      const names = (await app.get(CellsQueryService).all()).map((c) => c.name);
      expect(names).not.toContain('remote');
      expect(names).not.toContain('plain');
    });
  });
});
