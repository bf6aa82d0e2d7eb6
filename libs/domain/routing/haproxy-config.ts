import { createHash } from 'node:crypto';

/** One route the router serves: its match key and the servers behind it. */
export interface RouterRoute {
  /** host + path, lowercase, e.g. `app.apps.localhost` or `app.apps.localhost/api`. */
  address: string;
  /** A stable name (the route guid). */
  backend: string;
  /**
   * Running instances, round-robin. A server's name is `<app guid>_<index>_<instance guid>`: the
   * access log names it, and that is how a log line finds its app (see router-access-log.ts).
   */
  servers: { name: string; address: string }[];
}

export interface RenderedRouterConfig {
  config: string;
  /** The host → backend map the configuration reads, and the file name it expects it under. */
  hostMap: { fileName: string; text: string };
}

/**
 * The access log record HAProxy sends for each request: one JSON object per datagram (`format
 * raw`), strings escaped by the `json` converter. Captures: 0 Host, 1 X-Forwarded-For as the
 * client sent it, 2 User-Agent, 3 Referer.
 */
/** Most [RTR] lines logged per second and host (see the frontend's rules). */
export const LOG_LINES_PER_ROUTE = 200;

const ACCESS_LOG_FORMAT = [
  '{"t":%Ts%ms',
  '"host":"%[capture.req.hdr(0),json(utf8s)]"',
  '"method":"%[capture.req.method,json(utf8s)]"',
  '"uri":"%[capture.req.uri,json(utf8s)]"',
  '"version":"%[capture.req.ver,json(utf8s)]"',
  '"status":%ST',
  '"received":%U',
  '"sent":%B',
  '"referer":"%[capture.req.hdr(3),json(utf8s)]"',
  '"agent":"%[capture.req.hdr(2),json(utf8s)]"',
  '"client":"%ci:%cp"',
  '"server_address":"%si:%sp"',
  '"xff":"%[capture.req.hdr(1),json(utf8s)]"',
  '"id":"%ID"',
  '"total_ms":%Ta',
  '"response_ms":%Tr',
  '"server":"%s"',
  '"termination":"%tsc"}',
].join(',');

/**
 * The whole HAProxy configuration for the routes that have running instances.
 *
 * Matching: a request's key is `host + path + '/'`. Hosts whose routes are all plain (no path) are
 * found in one lookup of a host → backend map (a tree: constant cost however many routes exist).
 * Hosts with path routes get ordered `use_backend` rules first, longest address first, each
 * matching keys beginning with `address + '/'`: `/api` takes `/api` and `/api/x` but not
 * `/apiary`. A route without running instances has no rule: it answers like an unknown one (CF:
 * 404). Connection failures are retried on another server (`retry-on`, `redispatch`), so a
 * crashed or stopping instance costs no request.
 *
 * Changes are applied by a seamless reload (see RouterSync), not the runtime API: a reload is one
 * atomic switch to a configuration that `haproxy -c` has checked whole, while a series of runtime
 * commands can fail half-way and leave HAProxy in a state no file describes. The old workers
 * finish their requests and keep open websockets and tunnels until they close.
 */
export function renderHaproxyConfig(input: {
  port: number;
  /**
   * The apps network's gateway, where app containers reach the router (their DNS answers the
   * shared domain with it); empty: 127.0.0.1 only.
   */
  appsAddress?: string;
  stateDir: string;
  /** UDP port on 127.0.0.1 for the access log; 0 for none. */
  accessLogPort: number;
  routes: RouterRoute[];
}): RenderedRouterConfig {
  const served = input.routes
    .filter((r) => r.servers.length > 0)
    .sort((a, b) => b.address.length - a.address.length || a.address.localeCompare(b.address));
  const hostOf = (address: string) => address.split('/')[0];
  const pathHosts = new Set(
    served.filter((r) => r.address.includes('/')).map((r) => hostOf(r.address)),
  );
  const ruled = served.filter((r) => pathHosts.has(hostOf(r.address)));
  const mapped = served
    .filter((r) => !pathHosts.has(hostOf(r.address)))
    .sort((a, b) => a.address.localeCompare(b.address));
  const mapText = mapped.map((r) => `${r.address} be_${r.backend}\n`).join('');
  const mapFile = `hosts-${createHash('sha1').update(mapText).digest('hex').slice(0, 12)}.map`;
  // Inside double quotes HAProxy expands `$NAME` and `${NAME}` from its environment (an unset
  // one to nothing): a route path's `$` is escaped with the quote and the backslash.
  const quoted = (text: string) => `"${text.replace(/["\\$]/g, (c) => `\\${c}`)}"`;
  const log = input.accessLogPort > 0;
  const lines = [
    '# Written by the Wharf worker (routing sync); every change replaces it whole.',
    'global',
    `  stats socket ${input.stateDir}/admin.sock mode 600 level admin expose-fd listeners`,
    '  maxconn 4096',
    ...(log ? [`  log 127.0.0.1:${input.accessLogPort} len 8192 format raw local0 info`] : []),
    'defaults',
    '  mode http',
    ...(log ? ['  log global'] : []),
    // Keep-alive on both sides: a connection to an instance is reused for later requests
    // (http-reuse safe: never for the first request of a client connection).
    '  option http-keep-alive',
    // On reload the old workers keep idle client connections until their next request, which
    // they answer before closing: a keep-alive client never sees its connection cut mid-reuse.
    '  option idle-close-on-response',
    '  option forwardfor',
    '  option redispatch',
    '  retries 3',
    '  retry-on conn-failure empty-response response-timeout',
    '  timeout connect 2s',
    '  timeout client 60s',
    '  timeout server 60s',
    '  timeout tunnel 1h',
    'frontend router',
    `  bind 127.0.0.1:${input.port}`,
    // `transparent`: the listener binds even while the address is missing (the apps network
    // being recreated), so a reload never fails for it.
    ...(input.appsAddress ? [`  bind ${input.appsAddress}:${input.port} transparent`] : []),
    ...(log
      ? [
          '  http-request capture req.hdr(host) len 256',
          '  http-request capture req.hdr(x-forwarded-for) len 256',
          '  http-request capture req.hdr(user-agent) len 256',
          '  http-request capture req.hdr(referer) len 256',
          `  log-format ${quoted(ACCESS_LOG_FORMAT)}`,
        ]
      : []),
    // CF's request id: a new UUID per request, whatever the client sent, in the access log too.
    '  unique-id-format %[uuid()]',
    '  http-request del-header X-Vcap-Request-Id',
    '  unique-id-header X-Vcap-Request-Id',
    '  http-request set-header X-Forwarded-Proto http',
    '  http-request set-header X-Forwarded-Host %[req.hdr(host)]',
    '  http-request set-var(txn.host) req.hdr(host),lower,field(1,:)',
    ...(log
      ? [
          // [RTR] lines: at most LOG_LINES_PER_ROUTE a second per host are logged; beyond that a
          // request is served unlogged. An app's log keeps its last 1000 lines, so a busy route
          // would only churn them, and the worker turning lines into log entries shares the
          // machine with the router and the apps.
          '  http-request track-sc0 var(txn.host) table rtr_log_rate',
          `  http-request set-log-level silent if { sc0_http_req_rate gt ${LOG_LINES_PER_ROUTE} }`,
        ]
      : []),
    // Addresses are stored lowercase (CF's router matches host and path case-insensitively).
    '  http-request set-var(txn.path) path,lower',
    '  http-request set-var(txn.key) var(txn.host),concat(,txn.path,/)',
    ...ruled.map(
      (r) => `  use_backend be_${r.backend} if { var(txn.key) -m beg ${quoted(`${r.address}/`)} }`,
    ),
    `  use_backend %[var(txn.host),map(${input.stateDir}/${mapFile},be_unknown_route)]`,
    ...(log
      ? [
          'backend rtr_log_rate',
          '  stick-table type string len 256 size 100k expire 10s store http_req_rate(1s)',
        ]
      : []),
    'backend be_unknown_route',
    `  http-request return status 404 content-type text/plain lf-string "Requested route ('%[req.hdr(host),field(1,:)]') does not exist.\\n"`,
  ];
  for (const r of served) {
    lines.push(`backend be_${r.backend}`, '  balance roundrobin');
    for (const s of r.servers) lines.push(`  server ${s.name} ${s.address}`);
  }
  return { config: `${lines.join('\n')}\n`, hostMap: { fileName: mapFile, text: mapText } };
}
