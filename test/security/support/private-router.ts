import { execFileSync } from 'node:child_process';
import { createSocket, Socket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, IncomingHttpHeaders, request, Server } from 'node:http';
import { AddressInfo, createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HaproxyController } from '@wharf/platform/router';
import { renderHaproxyConfig } from '@wharf/routing';

type RouterRoute = Parameters<typeof renderHaproxyConfig>[0]['routes'][number];

export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createTcpServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port;
      s.close(() => resolve(p));
    });
  });

/** What a backend saw: which route's backend it is, and the request as it arrived. */
export interface Seen {
  backend: string;
  url: string;
  headers: IncomingHttpHeaders;
}

/**
 * Debian's HAProxy (as `npm test` installs it) in master-worker mode, in a directory and on a
 * port of its own, loaded with what renderHaproxyConfig renders through HaproxyController (the
 * router sync's `haproxy -c`, move and reload), with the access log sent to a UDP socket here.
 * Each route gets a backend of its own that answers with its name and the request it saw.
 */
export class PrivateRouter {
  readonly dir = mkdtempSync(join(tmpdir(), 'wharf-security-router-'));
  port = 0;
  /** Access log records as received, one datagram each. */
  readonly accessLog: string[] = [];
  private controller!: HaproxyController;
  private log!: Socket;
  private logPort = 0;
  private readonly backends: Server[] = [];

  async start(): Promise<void> {
    this.port = await freePort();
    this.log = createSocket('udp4');
    this.log.on('message', (m) => this.accessLog.push(m.toString('utf8')));
    await new Promise<void>((r) => this.log.bind(0, '127.0.0.1', r));
    this.logPort = this.log.address().port;
    const { config, hostMap } = this.render([]);
    writeFileSync(join(this.dir, hostMap.fileName), hostMap.text);
    writeFileSync(join(this.dir, 'haproxy.cfg'), config);
    execFileSync('haproxy', [
      '-W',
      '-D',
      '-S',
      `${join(this.dir, 'master.sock')},mode,600`,
      '-p',
      join(this.dir, 'pid'),
      '-f',
      join(this.dir, 'haproxy.cfg'),
    ]);
    this.controller = new HaproxyController(this.dir, join(this.dir, 'master.sock'));
  }

  render(routes: RouterRoute[]) {
    return renderHaproxyConfig({
      port: this.port,
      stateDir: this.dir,
      accessLogPort: this.logPort,
      routes,
    });
  }

  /** A backend answering `{backend: name, url, headers}` for every request. */
  async backend(name: string): Promise<string> {
    const server = createServer((req, res) => {
      const seen: Seen = { backend: name, url: req.url ?? '', headers: req.headers };
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(seen));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    this.backends.push(server);
    return `127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** Renders, checks and loads the routes; resolves once the new workers answer. */
  async apply(routes: RouterRoute[]) {
    const { config, hostMap } = this.render(routes);
    const outcome = await this.controller.apply(config, [hostMap]);
    if (outcome.applied) {
      // The reload is asynchronous: wait until a worker of this configuration answers.
      const marker = routes.find((r) => r.servers.length > 0);
      for (let i = 0; marker && i < 50; i++) {
        const res = await this.get(
          marker.address.split('/')[0] ?? '',
          `/${marker.address.split('/').slice(1).join('/')}`,
        );
        if (res.status === 200) break;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    return { outcome, config, hostMap };
  }

  get(host: string, path: string, headers: Record<string, string> = {}) {
    return new Promise<{ status: number; seen: Seen | null; text: string }>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: this.port, path, headers: { host, ...headers }, agent: false },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => {
            let seen: Seen | null = null;
            try {
              seen = JSON.parse(text) as Seen;
            } catch {
              /* not a backend's answer */
            }
            resolve({ status: res.statusCode ?? 0, seen, text });
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  async stop(): Promise<void> {
    try {
      process.kill(Number(readFileSync(join(this.dir, 'pid'), 'utf8').trim()), 'SIGTERM');
    } catch {
      /* never started, or already gone */
    }
    for (const b of this.backends) {
      b.closeAllConnections();
      await new Promise((r) => b.close(r));
    }
    this.log?.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
