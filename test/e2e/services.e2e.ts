import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FixtureBroker, startFixtureBroker } from '../support/fixture-broker';
import { E2E } from './support/e2e-env';
import { expectSuccess, run, wharf } from './support/run';
import { expectEveryChangeAudited } from './support/audit-trail';

const started = new Date();

/**
 * Services through the CLI: user-provided ones (cups, bind with restart, uups, unbind), and managed
 * ones from a broker (the fixture broker of test/support, registered with create-service-broker).
 */
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

describe('user-provided services', () => {
  const suffix = Date.now();
  const service = `svc-db-${suffix}`;

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

describe('managed services from a service broker', () => {
  const suffix = Date.now();
  const brokerName = `fixture-${suffix}`;
  const db = `managed-db-${suffix}`;
  let broker: FixtureBroker;

  beforeAll(async () => {
    broker = await startFixtureBroker({ polls: 2 });
  });
  afterAll(async () => {
    await wharf('delete-service-broker', brokerName, '-f');
    await broker?.close();
  });

  it('registers the broker, enables access, and the marketplace lists its plans', async () => {
    const create = await wharf(
      'create-service-broker',
      brokerName,
      broker.username,
      broker.password,
      broker.url,
    );
    expectSuccess(create, 'create-service-broker');
    expect((await wharf('service-brokers')).stdout).toMatch(
      new RegExp(`${brokerName}\\s+${broker.url}`),
    );
    const before = await wharf('service-access', '-b', brokerName);
    expect(before.stdout).toMatch(/fixture-db\s+async\s+none/);
    expectSuccess(
      await wharf('enable-service-access', 'fixture-db', '-b', brokerName),
      'enable-service-access',
    );
    const market = await wharf('marketplace', '-b', brokerName);
    expect(market.stdout).toMatch(/fixture-db\s+sync, sized, async/);
    const plans = await wharf('marketplace', '-e', 'fixture-db', '-b', brokerName);
    expect(plans.stdout).toMatch(/bind-hangs\s+behaves: bind-hangs\s+free/);
  });

  it('create-service --wait follows an asynchronous provision to the end', async () => {
    const create = await wharf(
      'create-service',
      'fixture-db',
      'async',
      db,
      '-b',
      brokerName,
      '--wait',
    );
    expectSuccess(create, 'create-service');
    expect(create.stdout).toContain(`Creating service instance ${db}`);
    expect(create.stdout).toMatch(/create in progress: working/);
    expect(create.stdout).toContain(`Service instance ${db} created.`);
    const show = await wharf('service', db);
    expect(show.stdout).toMatch(/offering:\s+fixture-db/);
    expect(show.stdout).toMatch(/plan:\s+async/);
    expect(show.stdout).toMatch(/status:\s+create succeeded/);
  });

  it('bind-service: the broker credentials reach the app after the restart', async () => {
    const bind = await wharf('bind-service', 'svc-e2e', db, '--binding-name', 'main');
    expectSuccess(bind, 'bind-service');
    expect(bind.stdout).toContain('App svc-e2e restarted.');
    const env = await seen();
    const [bound] = env.VCAP_SERVICES['fixture-db'] ?? [];
    expect(bound).toMatchObject({ name: 'main', tags: ['fixture', 'sql'] });
    expect(bound?.credentials.uri).toMatch(/^fixture:\/\/user-/);
    expect(env.DATABASE_URL).toBe(bound?.credentials.uri);
    expect((await wharf('services')).stdout).toMatch(
      new RegExp(`${db}\\s+fixture-db\\s+async\\s+svc-e2e\\s+create succeeded`),
    );
  });

  it('a broker that fails a bind: a clear error, the binding failed, the app unchanged', async () => {
    const bad = `bad-bind-${suffix}`;
    expectSuccess(
      await wharf('create-service', 'fixture-db', 'bind-500', bad, '-b', brokerName, '--wait'),
      'create-service',
    );
    const bind = await wharf('bind-service', 'svc-e2e', bad);
    expect(bind.code).not.toBe(0);
    expect(bind.stderr).toContain(
      'bind could not be completed: The service broker returned status 500: Boom: bind exploded',
    );
    const env = await seen();
    expect(Object.keys(env.VCAP_SERVICES)).toEqual(['fixture-db']);
    const params = await wharf(
      'create-service',
      'fixture-db',
      'sized',
      `p-${suffix}`,
      '-b',
      brokerName,
      '-c',
      '{"size":"huge"}',
    );
    expect(params.code).not.toBe(0);
    expect(params.stderr).toContain('Invalid service instance parameters: /size must be integer');
  });

  it('service keys, unbind and delete-service: the broker ends up holding nothing of ours', async () => {
    expectSuccess(await wharf('create-service-key', db, 'k1'), 'create-service-key');
    const key = await wharf('service-key', db, 'k1');
    expect(key.stdout).toContain('"username": "user-');
    const busy = await wharf('delete-service', db, '-f');
    expect(busy.code).not.toBe(0);
    expect(busy.stderr).toContain('Unbind the apps and delete the keys first');
    expectSuccess(await wharf('delete-service-key', db, 'k1', '-f'), 'delete-service-key');
    expectSuccess(await wharf('unbind-service', 'svc-e2e', db), 'unbind-service');
    const del = await wharf('delete-service', db, '-f');
    expectSuccess(del, 'delete-service');
    expect(broker.bindings.size).toBe(0);
    // The instance whose bind failed: its failed binding is removed (the broker already forgot
    // it: orphan mitigation) and the instance deleted.
    expectSuccess(await wharf('unbind-service', 'svc-e2e', `bad-bind-${suffix}`), 'unbind failed');
    expectSuccess(await wharf('delete-service', `bad-bind-${suffix}`, '-f'), 'delete-service');
    expect(broker.instances.size).toBe(0);
    expect((await wharf('services')).stdout).not.toContain(db);
  });
});

describe('the audit trail', () => {
  it('has an audit event for every change this file made through the API, without secrets', async () => {
    await expectEveryChangeAudited(started, [
      'first-pw',
      'second-pw',
      'postgres://u:first-pw@db:5432/x',
    ]);
  });
});
