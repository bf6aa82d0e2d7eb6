import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request } from 'node:http';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { E2E } from './support/e2e-env';
import { killChildrenOf, pidFrom } from './support/processes';
import { expectSuccess, run, wharf } from './support/run';
import { expectEveryChangeAudited } from './support/audit-trail';

const started = new Date();

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

/** A websocket through the router: the raw upgraded socket, and one text message at a time. */
function openWebsocket(
  host: string,
): Promise<{ socket: Socket; say: (text: string) => Promise<string> }> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port: Number(E2E.routerPort),
      path: '/ws',
      headers: {
        host,
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': Buffer.from('wharf-e2e-key-16').toString('base64'),
      },
    });
    req.on('upgrade', (_res, socket) => {
      const say = (text: string) =>
        new Promise<string>((done, fail) => {
          const payload = Buffer.from(text);
          const mask = Buffer.from([1, 2, 3, 4]);
          const masked = payload.map((b, i) => b ^ (mask[i % 4] ?? 0));
          socket.once('data', (frame: Buffer) => done(frame.subarray(2).toString()));
          socket.once('error', fail);
          socket.write(Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, masked]));
        });
      resolve({ socket, say });
    });
    req.on('response', (res) => reject(new Error(`no upgrade: ${res.statusCode}`)));
    req.on('error', reject);
    req.end();
  });
}

const appGuid = async (name: string): Promise<string> => {
  const apps = JSON.parse((await wharf('curl', `/v3/apps?names=${name}`)).stdout) as {
    resources: { guid: string }[];
  };
  return apps.resources[0]?.guid ?? '';
};

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

  it('sends X-Forwarded-* and a new X-Vcap-Request-Id, which the [RTR] log line names', async () => {
    const res = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: Number(E2E.routerPort),
          path: '/headers',
          headers: {
            host: 'rr-e2e.apps.localhost',
            'x-forwarded-for': '203.0.113.7',
            'x-vcap-request-id': 'chosen-by-the-client',
          },
        },
        (r) => {
          let text = '';
          r.on('data', (c: Buffer) => (text += c.toString()));
          r.on('end', () => resolve({ status: r.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(res.status).toBe(200);
    const headers = JSON.parse(res.text) as Record<string, string>;
    expect(headers['x-forwarded-for']).toBe('203.0.113.7, 127.0.0.1');
    expect(headers['x-forwarded-proto']).toBe('http');
    expect(headers['x-forwarded-host']).toBe('rr-e2e.apps.localhost');
    const id = headers['x-vcap-request-id'] ?? '';
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    let line = '';
    await eventually('the [RTR] line', async () => {
      const logs = await wharf('logs', 'rr-e2e', '--recent');
      line = logs.stdout.split('\n').find((l) => l.includes(`vcap_request_id:"${id}"`)) ?? '';
      return line !== '';
    });
    expect(line).toMatch(
      /\[RTR\/0\] OUT rr-e2e\.apps\.localhost - \[[^\]]+\] "GET \/headers HTTP\/1\.1" 200 /,
    );
    expect(line).toContain('x_forwarded_for:"203.0.113.7, 127.0.0.1"');
    expect(line).toContain(`app_id:"${await appGuid('rr-e2e')}"`);
    expect(line).toMatch(/app_index:"[012]" instance_id:"[0-9a-f-]{36}"/);
  });

  it('keeps an open websocket working while routes change and the router reloads', async () => {
    const ws = await openWebsocket('rr-e2e.apps.localhost');
    try {
      expect(await ws.say('before')).toMatch(/^echo from [012]: before$/);
      // A new route for the same app: a new configuration and a reload of HAProxy.
      expectSuccess(await wharf('map-route', 'rr-e2e', 'apps.localhost', '-n', 'ws-e2e'), 'map');
      await eventually(
        'the new route',
        async () => (await viaRouter('ws-e2e.apps.localhost')).status === 200,
      );
      expectSuccess(
        await wharf('unmap-route', 'rr-e2e', 'apps.localhost', '-n', 'ws-e2e'),
        'unmap',
      );
      await eventually(
        'the route gone',
        async () => (await viaRouter('ws-e2e.apps.localhost')).status === 404,
      );
      expect(await ws.say('after two reloads')).toMatch(/^echo from [012]: after two reloads$/);
    } finally {
      ws.socket.destroy();
    }
  });

  it('sends traffic to a new instance once it is healthy, never before', async () => {
    const guid = await appGuid('rr-e2e');
    // The router is polled from before the scale on, so the first answer of #3 is seen at once.
    let seen = 0;
    const watcher = (async () => {
      const end = Date.now() + 60_000;
      while (Date.now() < end) {
        const res = await viaRouter('rr-e2e.apps.localhost').catch(() => null);
        if (res?.status === 200 && (JSON.parse(res.text) as { index: string }).index === '3') {
          seen = Date.now();
          return;
        }
      }
    })();
    expectSuccess(await wharf('scale', 'rr-e2e', '-i', '4'), 'scale to 4');
    await watcher;
    // Within the watcher's 60 s (how soon is bench/router.mjs's to measure).
    expect(seen).toBeGreaterThan(0);
    const stats = JSON.parse(
      (await wharf('curl', `/v3/apps/${guid}/processes/web/stats`)).stdout,
    ) as { resources: { index: number; state: string; since?: string }[] };
    const third = stats.resources.find((r) => r.index === 3);
    expect(third?.state).toBe('RUNNING');
    // The router had no address for #3 before its health check passed: its first answer came
    // after the moment the API says it has been running since.
    const since = Date.parse(third?.since ?? '');
    expect(since).not.toBeNaN();
    expect(seen).toBeGreaterThanOrEqual(since);
  });

  it("survives the worker's SIGKILL while a pushed app starts: the push succeeds, its route serves", async () => {
    const supervisor = pidFrom(`${E2E.stateDir}/run/worker.pid`);
    const kill: { done?: Promise<void> } = {};
    const r = await run(
      `${E2E.root}/bin/wharf`,
      ['push', 'survivor-e2e', '-p', fixture('node-app'), '-m', '64M'],
      {
        timeoutMs: 280_000,
        // The instance is being created or checked when the worker dies: its successor takes the
        // leases over and carries the start on.
        onStdout: (soFar) => {
          if (!kill.done && soFar.includes('Waiting for app survivor-e2e to start'))
            kill.done = killChildrenOf(supervisor);
        },
      },
    );
    expect(kill.done).toBeDefined();
    await kill.done;
    expectSuccess(r, 'push across the kill');
    expect(r.stdout).toMatch(/#0\s+running/);
    // RUNNING means routed: no wait, no retry.
    expect((await viaRouter('survivor-e2e.apps.localhost')).status).toBe(200);
    expectSuccess(await wharf('delete', 'survivor-e2e', '-f', '-r'), 'delete');
  });

  it('lets app A reach app B at b.apps.internal from inside its container', async () => {
    expectSuccess(
      await push('ib-e2e', '-p', fixture('node-app'), '-m', '128M', '-i', '2', '--no-route'),
      'push ib-e2e',
    );
    expectSuccess(await wharf('map-route', 'ib-e2e', 'apps.internal', '-n', 'ib-e2e'), 'map');
    const fromA = async () => {
      const res = await viaRouter(
        'rr-e2e.apps.localhost',
        `/fetch?url=${encodeURIComponent('http://ib-e2e.apps.internal:8080/')}`,
      );
      return JSON.parse(res.text) as { status?: number; body?: string; error?: string };
    };
    const indexes = new Set<string>();
    await eventually('both instances of B reached from A', async () => {
      const got = await fromA();
      if (got.status === 200)
        indexes.add((JSON.parse(got.body ?? '{}') as { index: string }).index);
      return indexes.size === 2;
    });
    // The registry: each instance's internal and external address.
    const stats = JSON.parse(
      (await wharf('curl', `/v3/apps/${await appGuid('ib-e2e')}/processes/web/stats`)).stdout,
    ) as {
      resources: {
        host: string;
        instance_internal_ip: string;
        instance_ports: { external: number; internal: number }[];
      }[];
    };
    for (const s of stats.resources) {
      expect(s.instance_internal_ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      expect(s.instance_ports.map((p) => p.internal)).toEqual([8080]);
      expect(s.instance_ports[0]?.external).toBeGreaterThan(60000);
      expect(s.host).toBe('127.0.0.1');
    }
    const app = await wharf('app', 'ib-e2e');
    expect(app.stdout).toContain(`${stats.resources[0]?.instance_internal_ip}:8080`);
    // Not through the router, and gone when B stops.
    expect((await viaRouter('ib-e2e.apps.internal')).status).toBe(404);
    const path = await wharf('create-route', 'apps.internal', '-n', 'p-e2e', '--path', '/x');
    expect(path.stderr).toContain('Paths are not supported for internal domains.');
    expectSuccess(await wharf('stop', 'ib-e2e'), 'stop B');
    await eventually(
      'B no longer resolves',
      async () => (await fromA()).error?.includes('ENOTFOUND') ?? false,
    );
    expectSuccess(await wharf('delete', 'ib-e2e', '-f'), 'delete B');
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

  it('serves again when HAProxy and dnsmasq are killed (their supervisors restart them)', async () => {
    const run_ = `${E2E.stateDir}/run`;
    // pkill exits 0 only when it matched a process: a pattern that no longer matches must not
    // pass for a kill that the supervisors recovered from.
    const haproxy = await run('pkill', [
      '-KILL',
      '-f',
      `^haproxy -W -S ${run_}/haproxy-master.sock`,
    ]);
    expect(haproxy.code).toBe(0);
    const dnsmasq = await run('pkill', [
      '-KILL',
      '-f',
      `^dnsmasq --keep-in-foreground .*--hostsdir=${E2E.stateDir}/`,
    ]);
    expect(dnsmasq.code).toBe(0);
    await eventually(
      'the router back',
      async () => (await viaRouter('rr-e2e.apps.localhost')).status === 200,
      15_000,
    );
    await eventually(
      'apps.internal answering again',
      async () => {
        const res = await viaRouter(
          'rr-e2e.apps.localhost',
          `/fetch?url=${encodeURIComponent('http://nobody.apps.internal:8080/')}`,
        );
        // NXDOMAIN (ENOTFOUND) is dnsmasq's answer; with no DNS server it would time out (EAI_AGAIN).
        return (JSON.parse(res.text) as { error?: string }).error?.includes('ENOTFOUND') ?? false;
      },
      15_000,
    );
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
    const upper = await wharf('create-route', 'apps.localhost', '-n', 'UPPER');
    expect(upper.stderr).toContain("Host 'UPPER' is invalid");
    const long = await wharf('create-route', 'apps.localhost', '-n', 'a'.repeat(64));
    expect(long.code).not.toBe(0);
    expect(long.stderr).toContain('63');
    const taken = await wharf('create-route', 'apps.localhost', '-n', 'rr-e2e', '--path', '/api');
    expect(taken.stderr).toContain(
      "Route already exists with host 'rr-e2e' and path '/api' for domain 'apps.localhost'.",
    );
    // Every run makes its own org (the e2e installation keeps its data between runs).
    const org = `other-org-${Date.now()}`;
    const foreignDomain = `${org}.example`;
    expectSuccess(await wharf('create-org', org), 'create-org');
    expectSuccess(
      await wharf('create-private-domain', org, foreignDomain),
      'create-private-domain',
    );
    const foreign = await wharf('create-route', foreignDomain, '-n', 'x');
    expect(foreign.code).not.toBe(0);
    expect(foreign.stderr).toContain(
      `Domain '${foreignDomain}' is not available in organization of space 'dev'`,
    );
    expectSuccess(await wharf('delete-org', org, '-f'), 'delete-org');
    expect((await viaRouter('rr-e2e.apps.localhost', '/api')).status).toBe(200);
    const deleted = [await appGuid('rr-e2e'), await appGuid('api-e2e')];
    expectSuccess(await wharf('delete', 'rr-e2e', '-f'), 'delete');
    expectSuccess(await wharf('delete', 'api-e2e', '-f'), 'delete');
    // Deleting an app unmaps it: its routes stay (as in CF), leading nowhere.
    let last = '';
    await eventually('the deleted apps unmapped', async () => {
      last = (await wharf('curl', '/v3/routes?hosts=rr-e2e')).stdout;
      const routes = JSON.parse(last) as {
        resources: { destinations: { app: { guid: string } }[] }[];
      };
      const leading = routes.resources.flatMap((r) => r.destinations.map((d) => d.app.guid));
      return routes.resources.length === 2 && !leading.some((g) => deleted.includes(g));
    }).catch((err: Error) => {
      throw new Error(`${err.message}: ${last}`);
    });
  });
});

/** Requests the route without pause until stopped: the versions that answered, and failures. */
function steadyClient(host: string) {
  let stop = false;
  const outcomes = { ok: 0, versions: new Set<number>(), failed: [] as string[], last: 0 };
  const done = (async () => {
    while (!stop) {
      const res = await viaRouter(host).catch((e: Error) => ({ status: 0, text: e.message }));
      if (res.status === 200) {
        outcomes.ok += 1;
        outcomes.last = (JSON.parse(res.text) as { version: number }).version;
        outcomes.versions.add(outcomes.last);
      } else outcomes.failed.push(`${res.status} ${res.text.trim()}`);
    }
  })();
  return {
    outcomes,
    async stop() {
      stop = true;
      await done;
      return outcomes;
    },
  };
}

describe('deployments through the router', () => {
  const version = (n: number) => {
    const dir = fixture('node-app');
    writeFileSync(join(dir, 'version.json'), `{ "version": ${n} }\n`);
    return dir;
  };

  it('serves every request during a rolling push, each from the old or the new version', async () => {
    expectSuccess(await push('dep-e2e', '-p', version(1), '-i', '3', '-m', '128M'), 'push v1');
    await eventually('v1 behind the route', async () => {
      const res = await viaRouter('dep-e2e.apps.localhost');
      return res.status === 200;
    });
    const client = steadyClient('dep-e2e.apps.localhost');
    const r = await push('dep-e2e', '-p', version(2), '--strategy', 'rolling');
    await new Promise((res) => setTimeout(res, 1000));
    const outcomes = await client.stop();
    expectSuccess(r, 'rolling push');
    expect(r.stdout).toContain('Creating deployment for app dep-e2e...');
    expect(r.stdout).toContain('Waiting for app to deploy...');
    expect(r.stdout).toMatch(/instances:\s+3\/3/);
    process.stdout.write(
      `rolling push: ${outcomes.ok} requests served, ${outcomes.failed.length} failed\n`,
    );
    expect(outcomes.failed).toEqual([]);
    expect([...outcomes.versions].sort()).toEqual([1, 2]);
    expect(outcomes.last).toBe(2);
  });

  it('cancels a canary push whose instance crashes, with the reason; the old version never stops serving', async () => {
    const client = steadyClient('dep-e2e.apps.localhost');
    const r = await push(
      'dep-e2e',
      '-p',
      version(3),
      '--strategy',
      'canary',
      '-c',
      "sh -c 'echo canary dies; exit 3'",
    );
    const outcomes = await client.stop();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /The deployment of app dep-e2e was canceled: Instance 0 of process type 'web' of the new version failed: APP\/PROC\/WEB: Exited with status 3/,
    );
    expect(outcomes.failed).toEqual([]);
    expect([...outcomes.versions]).toEqual([2]);
    const guid = await appGuid('dep-e2e');
    const deployments = JSON.parse(
      (await wharf('curl', `/v3/deployments?app_guids=${guid}&order_by=-created_at`)).stdout,
    ) as { resources: { strategy: string; status: { value: string; reason: string } }[] };
    expect(deployments.resources[0]).toMatchObject({
      strategy: 'canary',
      status: { value: 'FINALIZED', reason: 'CANCELED' },
    });
  });

  it('rolls back to the first revision without a failed request', async () => {
    const client = steadyClient('dep-e2e.apps.localhost');
    const started = Date.now();
    const r = await wharf('rollback', 'dep-e2e', '--version', '1', '-f');
    const seconds = (Date.now() - started) / 1000;
    await new Promise((res) => setTimeout(res, 1000));
    const outcomes = await client.stop();
    expectSuccess(r, 'rollback');
    expect(r.stdout).toContain('Rolling back to revision 1 for app dep-e2e');
    expect(r.stdout).toMatch(/OK\s*$/);
    process.stdout.write(`rollback: ${seconds.toFixed(1)} s, ${outcomes.failed.length} failed\n`);
    expect(outcomes.failed).toEqual([]);
    expect(outcomes.last).toBe(1);
    const revisions = await wharf('revisions', 'dep-e2e');
    expect(revisions.stdout).toMatch(/\(deployed\)\s+.*Rolled back to revision 1\./);
  });

  it("finishes a rolling restart across the worker's SIGKILL without a failed request", async () => {
    const supervisor = pidFrom(`${E2E.stateDir}/run/worker.pid`);
    const kill: { done?: Promise<void> } = {};
    const client = steadyClient('dep-e2e.apps.localhost');
    const r = await run(`${E2E.root}/bin/wharf`, ['restart', 'dep-e2e', '--strategy', 'rolling'], {
      timeoutMs: 280_000,
      // The rollout has begun when the worker dies: its successor carries it on.
      onStdout: (soFar) => {
        if (!kill.done && soFar.includes('Waiting for app to deploy...'))
          kill.done = new Promise((res) => setTimeout(res, 1500)).then(() =>
            killChildrenOf(supervisor),
          );
      },
    });
    await kill.done;
    const outcomes = await client.stop();
    expect(kill.done).toBeDefined();
    expectSuccess(r, 'rolling restart across the kill');
    expect(r.stdout).toMatch(/instances:\s+3\/3/);
    process.stdout.write(
      `rolling restart across a worker kill: ${outcomes.ok} served, ${outcomes.failed.length} failed\n`,
    );
    expect(outcomes.failed).toEqual([]);
  });
});

describe('the audit trail', () => {
  it('has an audit event for every change this file made through the API, without secrets', async () => {
    await expectEveryChangeAudited(started, []);
  });
});
