import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { E2E } from './support/e2e-env';
import { expectSuccess, run, wharf } from './support/run';

/** User-provided services through the CLI: cups, bind (restart), uups (restart), unbind. */
jest.setTimeout(300_000);

const work = mkdtempSync(join(tmpdir(), 'wharf-e2e-services-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Seen {
  VCAP_SERVICES: Record<
    string,
    { name: string; credentials: Record<string, string>; tags: string[] }[]
  >;
  DATABASE_URL: string | null;
}

/** What the app's instance sees, through the router. */
function seen(): Promise<Seen> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: Number(E2E.routerPort),
        path: '/services',
        headers: { host: 'svc-e2e.apps.localhost' },
        timeout: 5000,
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => {
          try {
            resolve(JSON.parse(text) as Seen);
          } catch {
            reject(new Error(`${res.statusCode ?? 0}: ${text}`));
          }
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('user-provided services', () => {
  const suffix = Date.now();
  const service = `svc-db-${suffix}`;

  beforeAll(async () => {
    const dir = join(work, 'app');
    cpSync(join(E2E.root, 'test/fixtures/node-app'), dir, { recursive: true });
    expectSuccess(
      await run(`${E2E.root}/bin/wharf`, ['push', 'svc-e2e', '-p', dir, '-m', '128M', '-i', '2'], {
        timeoutMs: 280_000,
      }),
      'push',
    );
  });
  afterAll(async () => {
    await wharf('delete', 'svc-e2e', '-f');
  });

  it('binds a cups instance: after the automatic rolling restart the app sees VCAP_SERVICES and DATABASE_URL', async () => {
    expectSuccess(
      await wharf(
        'cups',
        service,
        '-p',
        '{"uri":"postgres://u:first-pw@db:5432/x","username":"u"}',
        '-t',
        'sql, primary',
      ),
      'cups',
    );
    // The restart replaces the two instances one at a time: requests meanwhile all succeed.
    let stop = false;
    const outcomes = { ok: 0, failed: [] as string[] };
    const client = (async () => {
      while (!stop) {
        await seen()
          .then(() => (outcomes.ok += 1))
          .catch((e: Error) => outcomes.failed.push(e.message));
      }
    })();
    const bind = await wharf('bind-service', 'svc-e2e', service);
    stop = true;
    await client;
    expectSuccess(bind, 'bind-service');
    process.stdout.write(
      `rolling restart: ${outcomes.ok} requests served, ${outcomes.failed.length} failed\n`,
    );
    expect(outcomes.failed).toEqual([]);
    expect(bind.stdout).toContain(`Binding service instance ${service} to app svc-e2e`);
    expect(bind.stdout).toContain('Restarting app svc-e2e to apply the change...');
    expect(bind.stdout).toContain('App svc-e2e restarted.');
    // Both instances were replaced before the command returned.
    for (let i = 0; i < 4; i++) {
      const env = await seen();
      expect(env.VCAP_SERVICES['user-provided']).toEqual([
        expect.objectContaining({
          name: service,
          tags: ['sql', 'primary'],
          credentials: { uri: 'postgres://u:first-pw@db:5432/x', username: 'u' },
        }),
      ]);
      expect(env.DATABASE_URL).toBe('postgres://u:first-pw@db:5432/x');
    }
    const list = await wharf('services');
    expect(list.stdout).toMatch(new RegExp(`${service}\\s+user-provided\\s+svc-e2e`));
  });

  it('uups: the new credentials reach the app once the command returns', async () => {
    const update = await wharf('uups', service, '-p', '{"uri":"postgres://u:second-pw@db:5432/x"}');
    expectSuccess(update, 'uups');
    expect(update.stdout).toContain('App svc-e2e restarted.');
    for (let i = 0; i < 4; i++) {
      const env = await seen();
      expect(env.DATABASE_URL).toBe('postgres://u:second-pw@db:5432/x');
    }
    const events = await wharf(
      'curl',
      '/v3/audit_events?types=audit.user_provided_service_instance.update',
    );
    expect(events.stdout).toContain('[PRIVATE DATA HIDDEN]');
    expect(events.stdout).not.toContain('second-pw');
  });

  it('refuses a second binding and unknown names with clear errors', async () => {
    const again = await wharf('bind-service', 'svc-e2e', service);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('The app is already bound to the service instance.');
    const unknown = await wharf('bind-service', 'svc-e2e', 'no-such-service');
    expect(unknown.stderr).toContain("Service instance 'no-such-service' not found");
    const bad = await wharf('cups', `bad-${suffix}`, '-p', 'not json');
    expect(bad.stderr).toContain('-p takes credentials as a JSON object');
  });

  it('unbind-service and delete-service: the app no longer sees the service', async () => {
    expectSuccess(await wharf('unbind-service', 'svc-e2e', service), 'unbind-service');
    const env = await seen();
    expect(env.VCAP_SERVICES).toEqual({});
    expect(env.DATABASE_URL).toBeNull();
    expectSuccess(await wharf('delete-service', service, '-f'), 'delete-service');
    expect((await wharf('services')).stdout).not.toContain(service);
  });
});
