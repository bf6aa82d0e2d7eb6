import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request } from 'node:http';
import { join } from 'node:path';
import { E2E } from './support/e2e-env';
import { expectSuccess, run, wharf } from './support/run';

/** Apps reached through HAProxy at their routes (the e2e router listens on E2E.routerPort). */
jest.setTimeout(300_000);

const work = mkdtempSync(join(tmpdir(), 'wharf-e2e-routing-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * `*.localhost` does not resolve through glibc: connect to 127.0.0.1 and send the Host header
 * (with node:http; fetch does not let a caller set Host).
 */
function viaRouter(host: string, path = '/'): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: Number(E2E.routerPort), path, headers: { host }, timeout: 5000 },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

async function eventually(what: string, fn: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    if (await fn().catch(() => false)) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const fixture = (name: string) => {
  const dir = join(work, `${name}-${Date.now()}`);
  cpSync(join(E2E.root, 'test/fixtures', name), dir, { recursive: true });
  return dir;
};

const push = (...args: string[]) =>
  run(`${E2E.root}/bin/wharf`, ['push', ...args], { timeoutMs: 280_000 });

describe('routes through the router', () => {
  it('maps <app>.apps.localhost on push; 3 instances share 30 requests round-robin', async () => {
    const r = await push('rr-e2e', '-p', fixture('node-app'), '-i', '3', '-m', '128M');
    expectSuccess(r, 'push');
    expect(r.stdout).toMatch(/routes:\s+rr-e2e\.apps\.localhost/);
    await eventually('three instances behind the route', async () => {
      const seen = new Set<string>();
      for (let i = 0; i < 9; i++) {
        const res = await viaRouter('rr-e2e.apps.localhost');
        if (res.status === 200) seen.add((JSON.parse(res.text) as { index: string }).index);
      }
      return seen.size === 3;
    });
    const counts = new Map<string, number>();
    for (let i = 0; i < 30; i++) {
      const res = await viaRouter('rr-e2e.apps.localhost');
      expect(res.status).toBe(200);
      const index = (JSON.parse(res.text) as { index: string }).index;
      counts.set(index, (counts.get(index) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(['0', '1', '2']);
    expect([...counts.values()]).toEqual([10, 10, 10]);
  });

  it('loses no request while an instance is killed and the app scales 3 → 1 → 3', async () => {
    let stop = false;
    const outcomes = { ok: 0, failed: [] as string[] };
    const client = (async () => {
      while (!stop) {
        const res = await viaRouter('rr-e2e.apps.localhost').catch((e: Error) => ({
          status: 0,
          text: e.message,
        }));
        if (res.status === 200) outcomes.ok += 1;
        else outcomes.failed.push(`${res.status} ${res.text.trim()}`);
      }
    })();
    const guid = JSON.parse((await wharf('curl', '/v3/apps?names=rr-e2e')).stdout) as {
      resources: { guid: string }[];
    };
    const ids = await run('docker', [
      'ps',
      '-q',
      '--filter',
      `label=wharf.app_guid=${guid.resources[0]?.guid ?? ''}`,
    ]);
    const victim = ids.stdout.trim().split('\n')[0] ?? '';
    expectSuccess(await run('docker', ['kill', '-s', 'KILL', victim]), 'kill');
    await new Promise((r) => setTimeout(r, 3000));
    expectSuccess(await wharf('scale', 'rr-e2e', '-i', '1'), 'scale to 1');
    await new Promise((r) => setTimeout(r, 3000));
    expectSuccess(await wharf('scale', 'rr-e2e', '-i', '3'), 'scale to 3');
    await new Promise((r) => setTimeout(r, 5000));
    stop = true;
    await client;
    process.stdout.write(
      `router under churn: ${outcomes.ok} requests served, ${outcomes.failed.length} failed\n`,
    );
    expect(outcomes.failed).toEqual([]);
    expect(outcomes.ok).toBeGreaterThan(100);
  });

  it('answers an unknown host and a stopped app with the 404 naming the route', async () => {
    const unknown = await viaRouter('nobody.apps.localhost');
    expect(unknown).toEqual({
      status: 404,
      text: "Requested route ('nobody.apps.localhost') does not exist.\n",
    });
    expectSuccess(await wharf('stop', 'rr-e2e'), 'stop');
    await eventually(
      '404 after stop',
      async () => (await viaRouter('rr-e2e.apps.localhost')).status === 404,
    );
    expect((await viaRouter('rr-e2e.apps.localhost')).text).toContain("('rr-e2e.apps.localhost')");
    expectSuccess(await wharf('start', 'rr-e2e'), 'start');
    await eventually(
      '200 after start',
      async () => (await viaRouter('rr-e2e.apps.localhost')).status === 200,
    );
  });

  it('unmap-route → 404; a path route sends /api to another app', async () => {
    expectSuccess(
      await push('api-e2e', '-p', fixture('python-app'), '-m', '128M', '--no-route'),
      'push api',
    );
    expectSuccess(
      await wharf('map-route', 'api-e2e', 'apps.localhost', '-n', 'rr-e2e', '--path', '/api'),
      'map-route',
    );
    await eventually('the path route', async () => {
      const api = await viaRouter('rr-e2e.apps.localhost', '/api/x');
      return api.status === 200 && api.text.includes('"app": "python"');
    });
    expect((await viaRouter('rr-e2e.apps.localhost', '/')).text).toContain('"app":"node"');
    expect((await viaRouter('rr-e2e.apps.localhost', '/apiary')).text).toContain('"app":"node"');

    expectSuccess(await wharf('unmap-route', 'rr-e2e', 'apps.localhost', '-n', 'rr-e2e'), 'unmap');
    await eventually(
      '404 after unmap',
      async () => (await viaRouter('rr-e2e.apps.localhost', '/')).status === 404,
    );
    expect((await viaRouter('rr-e2e.apps.localhost', '/api')).status).toBe(200);
  });

  it('refuses bad routes with CF errors and keeps serving', async () => {
    const bad = await wharf('create-route', 'apps.localhost', '-n', 'Bad Host');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("Host 'Bad Host' is invalid");
    const noSlash = await wharf('create-route', 'apps.localhost', '-n', 'ok', '--path', 'api');
    expect(noSlash.stderr).toContain('Path must begin with /');
    expect((await viaRouter('rr-e2e.apps.localhost', '/api')).status).toBe(200);
    expectSuccess(await wharf('delete', 'rr-e2e', '-f'), 'delete');
    expectSuccess(await wharf('delete', 'api-e2e', '-f'), 'delete');
  });
});
