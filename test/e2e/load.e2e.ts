import { cpSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppResource, ListResponse, ProcessStatsResponse } from '@wharf/contracts';
import { E2E } from './support/e2e-env';
import { expectSuccess, run, RunResult, wharf } from './support/run';

/**
 * The control plane under load (not timed): one app scales to 40 instances and back to 1 while
 * another app is pushed and a route is mapped to it. Everything converges, the other app's routes
 * answer, and the worker never ran out of database connections meanwhile (its pool's timeout,
 * `timeout exceeded when trying to connect`, is not in its log).
 */
jest.setTimeout(600_000);

const work = mkdtempSync(join(tmpdir(), 'wharf-e2e-load-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const WORKER_LOG = join(E2E.stateDir, 'logs/worker.log');
const POOL_TIMEOUT = 'timeout exceeded when trying to connect';

function fixture(name: string): string {
  const dir = join(work, `${name}-${Date.now()}`);
  cpSync(join(E2E.root, 'test/fixtures/node-app'), dir, { recursive: true });
  return dir;
}

const push = (...args: string[]): Promise<RunResult> =>
  run(`${E2E.root}/bin/wharf`, ['push', ...args], { timeoutMs: 280_000 });

function viaRouter(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: Number(E2E.routerPort),
        path: '/',
        headers: { host },
        timeout: 5000,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

async function webStats(name: string): Promise<ProcessStatsResponse['resources']> {
  const list = await wharf('curl', `/v3/apps?names=${name}`);
  expectSuccess(list, 'list apps');
  const guid = (JSON.parse(list.stdout) as ListResponse<AppResource>).resources[0]?.guid;
  if (!guid) throw new Error(`no app ${name}`);
  const r = await wharf('curl', `/v3/apps/${guid}/processes/web/stats`);
  expectSuccess(r, 'stats');
  return (JSON.parse(r.stdout) as ProcessStatsResponse).resources;
}

async function eventually(what: string, fn: () => Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    if (await fn().catch(() => false)) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

describe('load', () => {
  it('scales to 40 instances and back while another app is pushed and routed, with no pool timeout', async () => {
    expectSuccess(await push('load-e2e', '-p', fixture('load'), '-m', '64M'), 'push load-e2e');
    const logFrom = statSync(WORKER_LOG).size;

    const scaleUp = wharf('scale', 'load-e2e', '-i', '40');
    const other = push('other-load-e2e', '-p', fixture('other'), '-m', '64M');
    expectSuccess(await scaleUp, 'scale to 40');
    expectSuccess(
      await wharf('map-route', 'other-load-e2e', 'apps.localhost', '-n', 'mapped-load-e2e'),
      'map-route while scaling',
    );
    expectSuccess(await other, 'push of another app while scaling');

    await eventually(
      '40 RUNNING instances of load-e2e',
      async () => {
        const stats = await webStats('load-e2e');
        return stats.length === 40 && stats.every((s) => s.state === 'RUNNING');
      },
      300_000,
    );
    for (const host of ['other-load-e2e.apps.localhost', 'mapped-load-e2e.apps.localhost']) {
      await eventually(`${host} answering`, async () => (await viaRouter(host)) === 200, 30_000);
    }
    // The router reaches the scaled app too.
    expect(await viaRouter('load-e2e.apps.localhost')).toBe(200);

    expectSuccess(await wharf('scale', 'load-e2e', '-i', '1'), 'scale back to 1');
    await eventually(
      'load-e2e back to one RUNNING instance',
      async () => {
        const stats = await webStats('load-e2e');
        return stats.length === 1 && stats[0]?.state === 'RUNNING';
      },
      180_000,
    );
    expect(await viaRouter('load-e2e.apps.localhost')).toBe(200);
    expect(await viaRouter('other-load-e2e.apps.localhost')).toBe(200);

    const log = readFileSync(WORKER_LOG).subarray(logFrom).toString('utf8');
    expect(log.split('\n').filter((l) => l.includes(POOL_TIMEOUT))).toEqual([]);

    for (const app of ['load-e2e', 'other-load-e2e']) {
      expectSuccess(await wharf('delete', app, '-f', '-r'), `delete ${app}`);
    }
  });
});
