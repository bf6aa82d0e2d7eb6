/** One route the router serves: its match key and the servers behind it. */
export interface RouterRoute {
  /** host + path, lowercase, e.g. `app.apps.localhost` or `app.apps.localhost/api`. */
  address: string;
  /** A stable name (the route guid). */
  backend: string;
  /** Running instances, round-robin. */
  servers: { name: string; address: string }[];
}

/**
 * The whole HAProxy configuration for the routes that have running instances. A request's key is
 * `host + path + '/'`; each route matches keys beginning with `address + '/'`, tried longest
 * first (use_backend rules run in order), so `/api` takes `/api` and `/api/x` but not
 * `/apiary`, and a host never matches a longer host. A route without running instances has no
 * rule: it answers like an unknown one (CF: 404). Connection failures are retried on another
 * server (`retry-on`, `redispatch`), so a crashed or stopping instance costs no request.
 */
export function renderHaproxyConfig(input: {
  port: number;
  stateDir: string;
  routes: RouterRoute[];
}): { config: string } {
  const served = input.routes
    .filter((r) => r.servers.length > 0)
    .sort((a, b) => b.address.length - a.address.length || a.address.localeCompare(b.address));
  const quoted = (text: string) => `"${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;
  const lines = [
    '# Written by the Wharf worker (routing sync); every change replaces it whole.',
    'global',
    `  stats socket ${input.stateDir}/admin.sock mode 600 level admin expose-fd listeners`,
    '  maxconn 4096',
    'defaults',
    '  mode http',
    '  option http-server-close',
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
    '  unique-id-format %{+X}o%ci:%cp_%fi:%fp_%Ts_%rt:%pid',
    '  unique-id-header X-Vcap-Request-Id',
    '  http-request set-header X-Forwarded-Proto http',
    '  http-request set-header X-Forwarded-Host %[req.hdr(host)]',
    '  http-request set-var(txn.path) path',
    '  http-request set-var(txn.key) req.hdr(host),lower,field(1,:),concat(,txn.path,/)',
    ...served.map(
      (r) => `  use_backend be_${r.backend} if { var(txn.key) -m beg ${quoted(`${r.address}/`)} }`,
    ),
    '  default_backend be_unknown_route',
    'backend be_unknown_route',
    `  http-request return status 404 content-type text/plain lf-string "Requested route ('%[req.hdr(host),field(1,:)]') does not exist.\\n"`,
  ];
  for (const r of served) {
    lines.push(`backend be_${r.backend}`, '  balance roundrobin');
    for (const s of r.servers) lines.push(`  server ${s.name} ${s.address}`);
  }
  return { config: `${lines.join('\n')}\n` };
}
