import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createServer } from 'node:net';
import { Queue } from 'bullmq';
import { QUEUES } from '@wharf/contracts';
import { UserCreateAction } from '@wharf/identity';
import type { WharfConfig } from '@wharf/platform/config';
import { redisConnection } from '@wharf/platform/redis';
import { ApiModule } from '../../apps/api/src/api.module';
import { configureApp } from '../../apps/api/src/common/configure-app';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { createTestDatabase, TestDatabase } from './test-database';

export interface TestPlatform {
  config: WharfConfig;
  url: string;
  api: INestApplication;
  worker: INestApplicationContext;
  /** Creates a user and returns a bearer access token for it. */
  login(username: string, options?: { admin?: boolean }): Promise<string>;
  close(): Promise<void>;
}

/** API and worker in this process, on a database and queue prefix of their own. */
export async function startTestPlatform(
  overrides: Partial<WharfConfig> = {},
): Promise<TestPlatform> {
  const db: TestDatabase = await createTestDatabase();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config: WharfConfig = { ...db.config, ...overrides, api: { host: '127.0.0.1', port, url } };
  const api = await NestFactory.create(ApiModule.forRoot(config), {
    bodyParser: false,
    logger: ['error'],
  });
  configureApp(api);
  await api.listen(port, '127.0.0.1');
  const worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    logger: ['error'],
  });
  await worker.init();
  return {
    config,
    url,
    api,
    worker,
    async login(username, options = {}) {
      const password = `pw-${username}-secret`;
      await api
        .get(UserCreateAction)
        .execute({ username, password, admin: options.admin ?? false, actor: null });
      const res = await fetch(`${url}/oauth/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from('cf:').toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'password', username, password }).toString(),
      });
      const body = (await res.json()) as { access_token: string };
      return body.access_token;
    },
    async close() {
      await worker.close();
      await api.close();
      for (const name of QUEUES) {
        const q = new Queue(name, {
          connection: redisConnection(config.redisUrl),
          prefix: config.queuePrefix,
        });
        await q.obliterate({ force: true });
        await q.close();
      }
      await db.drop();
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}
