import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { WharfConfig } from '@wharf/platform/config';
import { BrokersModule } from '../../apps/brokers/src/brokers.module';
import { configureBrokersApp } from '../../apps/brokers/src/configure-brokers-app';
import { testConfig } from './test-env';

export interface TestBrokers {
  config: WharfConfig;
  url: string;
  app: INestApplication;
  close(): Promise<void>;
}

/**
 * The brokers app in this process, on a free port, against the services cluster of the test
 * environment (its bookkeeping tables are shared by test files; their instance ids never meet).
 * Its service containers and volumes carry an installation label of their own (`config.installation`)
 * so a test file can remove exactly what it made.
 */
export async function startTestBrokers(): Promise<TestBrokers> {
  const base = testConfig();
  if (!base.brokers.password || !base.brokers.servicesPgUrl)
    throw new Error('the test env file has no brokers settings: rewrite it with write_env_file');
  const port = await freePort();
  const config: WharfConfig = {
    ...base,
    installation: `brk-it-${randomBytes(4).toString('hex')}`,
    // The bookkeeping tables are shared, so a keeper's pass would put back other files'
    // containers: tests keep their own instances with ServiceKeeper.keep.
    brokers: { ...base.brokers, host: '127.0.0.1', port, keepIntervalMs: 0 },
  };
  const app = await NestFactory.create(BrokersModule.forRoot(config), {
    bodyParser: false,
    logger: ['error'],
  });
  configureBrokersApp(app, config);
  await app.listen(port, '127.0.0.1');
  return { config, url: `http://127.0.0.1:${port}`, app, close: () => app.close() };
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
