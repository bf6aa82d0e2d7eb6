import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, Server } from 'node:http';
import { AddressInfo, createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HaproxyController } from '@wharf/platform/router';

/**
 * HaproxyController against a real HAProxy (Debian's, as `npm test` installs it) in master-worker
 * mode, in its own directory and on a free port: a checked configuration is loaded without
 * dropping the listener, and one that fails `haproxy -c` never replaces the last good one.
 */
jest.setTimeout(30_000);

const dir = mkdtempSync(join(tmpdir(), 'wharf-haproxy-'));
const socket = join(dir, 'master.sock');
let port = 0;
let backend: Server;
let backendPort = 0;
let controller: HaproxyController;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createTcpServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port;
      s.close(() => resolve(p));
    });
  });

const get = (host: string) =>
  new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { host } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end();
  });

const config = (mapFile: string, extra = '') => `global
  stats socket ${dir}/admin.sock mode 600 level admin expose-fd listeners
defaults
  mode http
  option http-keep-alive
  option idle-close-on-response
  timeout connect 2s
  timeout client 10s
  timeout server 10s
frontend router
  bind 127.0.0.1:${port}
  use_backend %[req.hdr(host),lower,map(${dir}/${mapFile},be_unknown)]
backend be_unknown
  http-request return status 404 content-type text/plain string "unknown"
backend be_app
  server s1 127.0.0.1:${backendPort}
${extra}`;

beforeAll(async () => {
  port = await freePort();
  backend = createServer((_req, res) => res.end('from the backend')).listen(0, '127.0.0.1');
  await new Promise((r) => backend.once('listening', r));
  backendPort = (backend.address() as AddressInfo).port;
  writeFileSync(join(dir, 'empty.map'), '');
  writeFileSync(join(dir, 'haproxy.cfg'), config('empty.map'));
  execFileSync('haproxy', [
    '-W',
    '-D',
    '-S',
    `${socket},mode,600`,
    '-p',
    join(dir, 'pid'),
    '-f',
    join(dir, 'haproxy.cfg'),
  ]);
  controller = new HaproxyController(dir, socket);
});

afterAll(() => {
  try {
    process.kill(Number(readFileSync(join(dir, 'pid'), 'utf8').trim()), 'SIGTERM');
  } catch {
    /* already gone */
  }
  // HAProxy's workers may still hold keep-alive connections to the backend while they stop.
  backend.closeAllConnections();
  backend.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('HaproxyController', () => {
  it('loads a checked configuration with its map, and removes maps no longer used', async () => {
    expect((await get('app.test')).status).toBe(404);
    const outcome = await controller.apply(config('v1.map'), [
      { fileName: 'v1.map', text: 'app.test be_app\n' },
    ]);
    expect(outcome).toEqual({ applied: true });
    let res = await get('app.test');
    for (let i = 0; i < 20 && res.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      res = await get('app.test');
    }
    expect(res).toEqual({ status: 200, text: 'from the backend' });
    expect(readdirSync(dir).filter((f) => f.endsWith('.map'))).toEqual(['v1.map']);
  });

  it('applies back to back under load without a request missing its route', async () => {
    // The same map (same name) with each configuration, as the router's syncs write it; each
    // apply reloads. A map rewritten while a reload read it once gave a worker an empty map.
    const map = [{ fileName: 'v1.map', text: 'app.test be_app\n' }];
    let running = true;
    const statuses = new Map<number, number>();
    const client = (async () => {
      while (running) {
        const { status } = await get('app.test');
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    })();
    for (let i = 0; i < 15; i++) {
      const outcome = await controller.apply(config('v1.map', `# apply ${i}\n`), map);
      expect(outcome).toEqual({ applied: true });
    }
    running = false;
    await client;
    expect([...statuses.keys()]).toEqual([200]);
  });

  it('refuses a configuration that fails haproxy -c and keeps serving the last good one', async () => {
    const before = readFileSync(join(dir, 'haproxy.cfg'), 'utf8');
    const outcome = await controller.apply(
      config('v2.map', 'backend be_broken\n  server s1 not-an-address:port\n'),
      [{ fileName: 'v2.map', text: 'app.test be_broken\n' }],
    );
    expect(outcome.applied).toBe(false);
    expect(outcome.applied === false && outcome.refusal).toMatch(/not-an-address|port/);
    expect(readFileSync(join(dir, 'haproxy.cfg'), 'utf8')).toBe(before);
    expect(await get('app.test')).toEqual({ status: 200, text: 'from the backend' });
    expect(await controller.masterCommand('show proc')).toMatch(/master/);
  });
});
