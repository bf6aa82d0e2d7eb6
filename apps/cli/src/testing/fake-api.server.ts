import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Test support only: a real HTTP server on 127.0.0.1:0 that answers from a route table. */

export interface RecordedRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface FakeResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type FakeHandler = (req: RecordedRequest, baseUrl: string) => FakeResponse;

interface Route {
  method: string;
  path: string | RegExp;
  handler: FakeHandler;
}

export class FakeApiServer {
  readonly requests: RecordedRequest[] = [];
  private readonly routes: Route[] = [];
  private server: Server | undefined;
  private base = '';

  get url(): string {
    return this.base;
  }

  on(method: string, path: string | RegExp, handler: FakeHandler): this {
    this.routes.unshift({ method, path, handler });
    return this;
  }

  /** A CF root document whose login link points back at this server. */
  withRoot(version = '3.180.0'): this {
    return this.on('GET', '/', (_req, base) => ({
      status: 200,
      body: {
        links: {
          self: { href: base },
          cloud_controller_v3: { href: `${base}/v3`, meta: { version } },
          login: { href: base },
          uaa: { href: base },
        },
      },
    }));
  }

  count(method: string, path: string): number {
    return this.requests.filter((r) => r.method === method && r.path === path).length;
  }

  async start(): Promise<string> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://fake');
        const recorded: RecordedRequest = {
          method: req.method ?? 'GET',
          url: req.url ?? '/',
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        this.requests.push(recorded);
        const route = this.routes.find(
          (r) =>
            r.method === recorded.method &&
            (typeof r.path === 'string' ? r.path === recorded.path : r.path.test(recorded.path)),
        );
        const answer: FakeResponse = route
          ? route.handler(recorded, this.base)
          : {
              status: 404,
              body: { errors: [{ code: 10000, title: 'CF-NotFound', detail: 'Unknown request' }] },
            };
        const headers: Record<string, string> = { ...answer.headers };
        let payload = '';
        if (answer.body !== undefined) {
          payload = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
          headers['content-type'] ??= 'application/json';
        }
        res.writeHead(answer.status, headers);
        res.end(payload);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.base;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      server.close((err) => (err ? reject(err) : resolve())),
    );
  }
}

/** CF's error envelope. */
export function cfError(status: number, code: number, title: string, detail: string): FakeResponse {
  return { status, body: { errors: [{ code, title, detail }] } };
}

/** A CF list page; `next` is a path on the fake server or null. */
export function page<T>(base: string, resources: T[], next: string | null): FakeResponse {
  return {
    status: 200,
    body: {
      pagination: {
        total_results: resources.length,
        total_pages: 1,
        first: { href: base },
        last: { href: base },
        next: next === null ? null : { href: `${base}${next}` },
        previous: null,
      },
      resources,
    },
  };
}
