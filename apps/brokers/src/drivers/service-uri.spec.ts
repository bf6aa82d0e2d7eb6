import { serviceUri, uriHost } from './service-uri';

describe('serviceUri', () => {
  it('writes the usual URIs of the built-in services unchanged', () => {
    expect(
      serviceUri({
        scheme: 'redis',
        host: 'redis-0123456789ab.services.internal',
        port: 6379,
        username: 'binding-9f3c2a1e-5b7d-4c8e-a0f1-2b3c4d5e6f70',
        password: 'Abc123',
      }),
    ).toBe(
      'redis://binding-9f3c2a1e-5b7d-4c8e-a0f1-2b3c4d5e6f70:Abc123@redis-0123456789ab.services.internal:6379',
    );
    expect(
      serviceUri({ scheme: 'redis', host: '10.0.0.2', port: 6379, username: '', password: 'p' }),
    ).toBe('redis://:p@10.0.0.2:6379');
    expect(
      serviceUri({
        scheme: 'jdbc:postgresql',
        host: '127.0.0.1',
        port: 5435,
        path: ['svc_0123'],
        query: { user: 'bind_1', password: 'a-b_c' },
      }),
    ).toBe('jdbc:postgresql://127.0.0.1:5435/svc_0123?user=bind_1&password=a-b_c');
  });

  it('escapes every character of a credential that would change what the URI says', () => {
    const username = 'u:x@evil.example/';
    const password = 'p@ss:w/rd?#&=% \n';
    const database = 'db/../other?x=1';
    const uri = serviceUri({
      scheme: 'postgres',
      host: 'db.internal',
      port: 5432,
      username,
      password,
      path: [database],
    });
    // WHATWG URL reads back exactly the parts that were given, and the host is still ours.
    const parsed = new URL(uri);
    expect(parsed.hostname).toBe('db.internal');
    expect(parsed.port).toBe('5432');
    expect(decodeURIComponent(parsed.username)).toBe(username);
    expect(decodeURIComponent(parsed.password)).toBe(password);
    expect(decodeURIComponent(parsed.pathname.slice(1))).toBe(database);
    expect(parsed.search).toBe('');
    expect(parsed.hash).toBe('');

    const jdbc = serviceUri({
      scheme: 'jdbc:postgresql',
      host: 'db.internal',
      port: 5432,
      path: ['db'],
      query: { user: username, password },
    });
    const params = new URL(jdbc.slice('jdbc:'.length)).searchParams;
    expect([...params.keys()]).toEqual(['user', 'password']);
    expect(params.get('user')).toBe(username);
    expect(params.get('password')).toBe(password);
  });

  it('brackets an IPv6 host and refuses what is not a host, a port or a scheme', () => {
    expect(uriHost('fd00::1')).toBe('[fd00::1]');
    expect(serviceUri({ scheme: 'redis', host: 'fd00::1', port: 6379 })).toBe(
      'redis://[fd00::1]:6379',
    );
    for (const host of ['evil@host', 'host:1', 'a/b', 'a b', '', 'x\ny'])
      expect(() => uriHost(host)).toThrow(/not a host/);
    expect(() => serviceUri({ scheme: 'redis', host: 'h', port: 0 })).toThrow(/not a port/);
    expect(() => serviceUri({ scheme: 'x://evil', host: 'h', port: 1 })).toThrow(
      /not a URI scheme/,
    );
  });
});
