import { createServer, Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { checkHealth, healthCheckSpec, HealthCheckSpec } from './health-check';

// The checks dial port 8080 of an address; 127.0.0.x addresses are all loopback, so each test
// listens on 8080 of its own one.
const listen = (server: Server | ReturnType<typeof createTcpServer>, host: string) =>
  new Promise<void>((resolve) => server.listen(8080, host, resolve));

const spec = (over: Partial<HealthCheckSpec>): HealthCheckSpec => ({
  type: 'port',
  endpoint: null,
  timeoutSeconds: 60,
  invocationTimeoutSeconds: 1,
  intervalSeconds: 30,
  ...over,
});

describe('health checks', () => {
  const servers: { close(): unknown }[] = [];
  afterAll(() => servers.forEach((s) => s.close()));

  it('port: healthy when something accepts, refused otherwise', async () => {
    const server = createTcpServer((s) => s.end());
    servers.push(server);
    await listen(server, '127.0.0.21');
    await expect(checkHealth(spec({}), '127.0.0.21')).resolves.toEqual({ healthy: true });
    await expect(checkHealth(spec({}), '127.0.0.22')).resolves.toEqual({
      healthy: false,
      reason: 'Failed to make TCP connection to port 8080: connection refused',
    });
  });

  it('http: only a 200 from the endpoint is healthy', async () => {
    const server = createServer((req, res) => {
      res.statusCode = req.url === '/health' ? 200 : 503;
      res.end();
    });
    servers.push(server);
    await listen(server, '127.0.0.23');
    await expect(
      checkHealth(spec({ type: 'http', endpoint: '/health' }), '127.0.0.23'),
    ).resolves.toEqual({ healthy: true });
    await expect(checkHealth(spec({ type: 'http', endpoint: '/' }), '127.0.0.23')).resolves.toEqual(
      {
        healthy: false,
        reason: 'Failed to get HTTP 200 from /: got 503',
      },
    );
  });

  it('process: alive is healthy', async () => {
    await expect(checkHealth(spec({ type: 'process' }), '127.0.0.24')).resolves.toEqual({
      healthy: true,
    });
  });

  it("takes CF's defaults and caps the start timeout at 180 s", () => {
    expect(
      healthCheckSpec({
        healthCheckType: 'http',
        healthCheckEndpoint: '/h',
        healthCheckTimeout: 600,
        healthCheckInvocationTimeout: null,
        healthCheckInterval: null,
      }),
    ).toEqual({
      type: 'http',
      endpoint: '/h',
      timeoutSeconds: 180,
      invocationTimeoutSeconds: 1,
      intervalSeconds: 30,
    });
  });
});
