import { renderHaproxyConfig } from './haproxy-config';

describe('renderHaproxyConfig', () => {
  const { config } = renderHaproxyConfig({
    port: 8080,
    stateDir: '/s',
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
    ],
  });

  it('tries longer addresses first, each ending at a segment boundary', () => {
    const rules = config.split('\n').filter((l) => l.includes('use_backend'));
    expect(rules).toEqual([
      '  use_backend be_r2 if { var(txn.key) -m beg "app.apps.localhost/api/" }',
      '  use_backend be_r1 if { var(txn.key) -m beg "app.apps.localhost/" }',
    ]);
  });

  it('leaves out routes without running instances: they answer 404 like unknown ones', () => {
    expect(config).not.toContain('be_r3');
    expect(config).toContain('default_backend be_unknown_route');
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
});
