import { renderHaproxyConfig } from './haproxy-config';

describe('renderHaproxyConfig', () => {
  const { config, hostMap } = renderHaproxyConfig({
    port: 8080,
    stateDir: '/s',
    accessLogPort: 8081,
    routes: [
      {
        address: 'app.apps.localhost',
        backend: 'r1',
        servers: [{ name: 'a_0', address: '127.0.0.1:61001' }],
      },
      {
        address: 'app.apps.localhost/api',
        backend: 'r2',
        servers: [
          { name: 'b_0', address: '127.0.0.1:61002' },
          { name: 'b_1', address: '127.0.0.1:61003' },
        ],
      },
      { address: 'stopped.apps.localhost', backend: 'r3', servers: [] },
      {
        address: 'other.apps.localhost',
        backend: 'r4',
        servers: [{ name: 'c_0', address: '127.0.0.1:61004' }],
      },
      {
        address: 'another.apps.localhost',
        backend: 'r5',
        servers: [{ name: 'd_0', address: '127.0.0.1:61005' }],
      },
    ],
  });

  it('tries the routes of hosts with paths first, longer addresses first, each ending at a segment boundary', () => {
    const rules = config.split('\n').filter((l) => l.includes('use_backend be_'));
    expect(rules).toEqual([
      '  use_backend be_r2 if { var(txn.key) -m beg "app.apps.localhost/api/" }',
      '  use_backend be_r1 if { var(txn.key) -m beg "app.apps.localhost/" }',
    ]);
  });

  it('finds every other host in one map lookup, unknown ones falling to the 404 backend', () => {
    expect(hostMap.text).toBe('another.apps.localhost be_r5\nother.apps.localhost be_r4\n');
    expect(hostMap.fileName).toMatch(/^hosts-[0-9a-f]{12}\.map$/);
    expect(config).toContain(
      `  use_backend %[var(txn.host),map(/s/${hostMap.fileName},be_unknown_route)]`,
    );
    const lines = config.split('\n');
    expect(lines.findIndex((l) => l.includes('map('))).toBeGreaterThan(
      lines.findIndex((l) => l.includes('use_backend be_r1')),
    );
  });

  it('leaves out routes without running instances: they answer 404 like unknown ones', () => {
    expect(config).not.toContain('be_r3');
    expect(hostMap.text).not.toContain('stopped');
    expect(config).toContain("Requested route ('%[req.hdr(host),field(1,:)]') does not exist.");
  });

  it('balances round-robin over the servers and retries failed connections elsewhere', () => {
    expect(config).toContain(
      'backend be_r2\n  balance roundrobin\n  server b_0 127.0.0.1:61002\n  server b_1 127.0.0.1:61003',
    );
    expect(config).toContain('retry-on conn-failure empty-response response-timeout');
    expect(config).toContain('option redispatch');
    expect(config).toContain('expose-fd listeners');
  });

  it('gives each request a new X-Vcap-Request-Id and logs it as JSON to the access log port', () => {
    expect(config).toContain('  unique-id-format %[uuid()]');
    expect(config).toContain('  http-request del-header X-Vcap-Request-Id');
    expect(config).toContain('  log 127.0.0.1:8081 len 8192 format raw local0 info');
    expect(config).toMatch(/log-format "\{\\"t\\":%Ts%ms,/);
  });

  it('logs at most 200 requests a second per host, and keeps connections to instances alive', () => {
    expect(config).toContain('  http-request track-sc0 var(txn.host) table rtr_log_rate');
    expect(config).toContain('  http-request set-log-level silent if { sc0_http_req_rate gt 200 }');
    expect(config).toContain('store http_req_rate(1s)');
    expect(config).toContain('  option http-keep-alive');
    expect(config).not.toContain('http-server-close');
  });

  it('has no access log when no port is given', () => {
    const plain = renderHaproxyConfig({ port: 1, stateDir: '/s', accessLogPort: 0, routes: [] });
    expect(plain.config).not.toContain('log-format');
    expect(plain.config).not.toContain('log 127.0.0.1');
  });

  it('listens on 127.0.0.1 and, for app containers, on the apps network gateway', () => {
    const binds = (text: string) => text.split('\n').filter((l) => l.startsWith('  bind '));
    expect(binds(config)).toEqual(['  bind 127.0.0.1:8080']);
    const both = renderHaproxyConfig({
      port: 8380,
      appsAddress: '10.213.4.1',
      stateDir: '/s',
      accessLogPort: 0,
      routes: [],
    });
    expect(binds(both.config)).toEqual([
      '  bind 127.0.0.1:8380',
      '  bind 10.213.4.1:8380 transparent',
    ]);
  });

  it("escapes a path's $, quote and backslash, which HAProxy would expand or end the string at", () => {
    const { config: text } = renderHaproxyConfig({
      port: 1,
      stateDir: '/s',
      accessLogPort: 0,
      routes: [
        {
          address: 'app.apps.localhost/a$home/${user}',
          backend: 'r1',
          servers: [{ name: 'a_0', address: '127.0.0.1:61001' }],
        },
      ],
    });
    expect(text).toContain(
      '  use_backend be_r1 if { var(txn.key) -m beg "app.apps.localhost/a\\$home/\\${user}/" }',
    );
  });

  it('matches request paths case-insensitively, as the stored (lowercase) addresses are', () => {
    expect(config).toContain('  http-request set-var(txn.path) path,lower');
  });

  it('renders a map whose name changes with its content', () => {
    const again = renderHaproxyConfig({ port: 1, stateDir: '/s', accessLogPort: 0, routes: [] });
    expect(again.hostMap.fileName).not.toBe(hostMap.fileName);
  });
});
