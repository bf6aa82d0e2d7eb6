import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { WharfConfig } from '@wharf/platform/config';
import { BrokersModule } from '../../apps/brokers/src/brokers.module';
import { configureBrokersApp } from '../../apps/brokers/src/configure-brokers-app';
import { ServiceBindingRepository } from '../../apps/brokers/src/store/service-binding.repository';
import { ServiceInstanceRepository } from '../../apps/brokers/src/store/service-instance.repository';
import { HOSTILE_IDS, type osbClient } from './osb-conformance';
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

/**
 * Every hostile id (HOSTILE_IDS) sent as a binding id of `instanceId` and as a new instance's
 * id: each is refused with 400 naming the field, and neither store keeps a row of it. `after`
 * runs after each id, for what the broker's own service must not have made of it.
 */
export async function expectHostileIdsRefused(
  call: ReturnType<typeof osbClient>,
  brokers: TestBrokers,
  target: { instanceId: string; serviceId: string; planId: string; asynchronous: boolean },
  after: (bad: string) => Promise<void> = () => Promise.resolve(),
): Promise<void> {
  const { instanceId, serviceId, planId } = target;
  const incomplete = target.asynchronous ? '?accepts_incomplete=true' : '';
  for (const [, bad] of HOSTILE_IDS) {
    const e = encodeURIComponent(bad);
    const bound = await call('PUT', `/v2/service_instances/${instanceId}/service_bindings/${e}`, {
      body: { service_id: serviceId, plan_id: planId, bind_resource: { app_guid: randomUUID() } },
    });
    expect(bound.status).toBe(400);
    expect(bound.body.description).toMatch(/^Malformed binding_id/);
    expect(await brokers.app.get(ServiceBindingRepository).find(bad)).toBeNull();
    const made = await call('PUT', `/v2/service_instances/${e}${incomplete}`, {
      body: { service_id: serviceId, plan_id: planId, organization_guid: 'o', space_guid: 's' },
    });
    expect(made.status).toBe(400);
    expect(made.body.description).toMatch(/^Malformed instance_id/);
    expect(await brokers.app.get(ServiceInstanceRepository).find(bad)).toBeNull();
    await after(bad);
  }
}
