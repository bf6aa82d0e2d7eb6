import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { memcachedSession } from '../support/memcached-client';
import { redisCommands } from '../support/resp-client';
import { serviceAddress } from '../support/service-address';
import { E2E } from './support/e2e-env';
import { expectSuccess, run, wharf } from './support/run';
import { expectEveryChangeAudited } from './support/audit-trail';

const started = new Date();

/**
 * The built-in brokers `npm run up` starts and registers: a fixture app bound to postgresql, redis
 * and memcached instances uses them with the credentials from its environment; unbinding revokes
 * the binding's PostgreSQL role, Redis user and memcached user; deleting removes the database and
 * the containers.
 */
jest.setTimeout(600_000);

const app = 'svc-builtin';
const suffix = Date.now().toString(36);
const work = mkdtempSync(join(tmpdir(), 'wharf-e2e-builtin-'));

function getOnce(
  path: string,
): Promise<{ status: number; body: { ok?: boolean; read?: string; error?: string } }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: Number(E2E.routerPort),
        path,
        headers: { host: `${app}.apps.localhost` },
        timeout: 15_000,
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as { ok?: boolean } });
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

/**
 * A request to the app, retried for a few seconds while the router does not route it yet: after a
 * restart of its one instance, the new instance is routed within a second of becoming healthy.
 */
async function get(
  path: string,
): Promise<{ status: number; body: { ok?: boolean; read?: string; error?: string } }> {
  for (let i = 0; ; i++) {
    try {
      return await getOnce(path);
    } catch (err) {
      if (i >= 50 || !String((err as Error).message).startsWith('404')) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** The credentials of the app's binding to this label, as the API shows them. */
async function credentialsOf(label: string): Promise<Record<string, string>> {
  const guid = (await wharf('app', app, '--guid')).stdout.trim();
  const env = JSON.parse((await wharf('curl', `/v3/apps/${guid}/env`)).stdout) as {
    system_env_json: { VCAP_SERVICES: Record<string, { credentials: Record<string, string> }[]> };
  };
  const creds = env.system_env_json.VCAP_SERVICES[label]?.[0]?.credentials;
  if (!creds) throw new Error(`no ${label} binding in the app's environment`);
  return creds;
}

/** Connects from the host (the services cluster listens on 127.0.0.1 too) with a binding's role. */
async function pgLogin(c: Record<string, string>): Promise<string> {
  const client = new Client({
    host: '127.0.0.1',
    port: Number(c.port),
    user: c.username,
    password: c.password,
    database: c.name,
    connectionTimeoutMillis: 5000,
  });
  try {
    await client.connect();
    const res = await client.query<{ n: string }>('SELECT count(*) AS n FROM notes');
    return `rows: ${res.rows[0]?.n ?? '?'}`;
  } catch (err) {
    return `refused: ${(err as Error).message}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const serviceContainers = (instance: string): string =>
  execFileSync(
    'docker',
    ['-H', E2E.dockerHost, 'ps', '-aq', '--filter', `label=wharf.service_instance_id=${instance}`],
    { encoding: 'utf8' },
  ).trim();

beforeAll(async () => {
  const dir = join(work, 'app');
  cpSync(join(E2E.root, 'test/fixtures/services-app'), dir, { recursive: true });
  expectSuccess(
    await run(`${E2E.root}/bin/wharf`, ['push', app, '-p', dir, '-m', '192M'], {
      timeoutMs: 400_000,
    }),
    'push',
  );
});
afterAll(async () => {
  await wharf('delete', app, '-f');
  rmSync(work, { recursive: true, force: true });
});

it('the marketplace offers the built-in services', async () => {
  const market = await wharf('marketplace');
  expectSuccess(market, 'marketplace');
  for (const offering of ['postgresql', 'redis', 'memcached'])
    expect(market.stdout).toMatch(new RegExp(`${offering}\\s+small, medium`));
});

it('postgresql: the bound app writes and reads a row; unbind revokes the role; delete drops the database', async () => {
  const pg = `pg-${suffix}`;
  expectSuccess(
    await wharf('create-service', 'postgresql', 'small', pg, '--wait'),
    'create-service',
  );
  expectSuccess(await wharf('bind-service', app, pg), 'bind-service');
  const res = await get('/pg?value=written-through-DATABASE_URL');
  expect(res.body).toEqual({ ok: true, read: 'written-through-DATABASE_URL' });
  const creds = await credentialsOf('postgresql');
  expect(Object.keys(creds).sort()).toEqual(
    ['hostname', 'jdbcUrl', 'name', 'password', 'port', 'uri', 'username'].sort(),
  );
  expect(await pgLogin(creds)).toBe('rows: 1');
  expectSuccess(await wharf('unbind-service', app, pg), 'unbind-service');
  expect(await pgLogin(creds)).toMatch(/^refused: /);
  expectSuccess(await wharf('delete-service', pg, '-f'), 'delete-service');
  const env = readFileSync(join(E2E.stateDir, 'wharf.env'), 'utf8');
  const admin = /^WHARF_SERVICES_PG_URL=(.*)$/m.exec(env)?.[1] ?? '';
  const client = new Client({ connectionString: admin });
  await client.connect();
  try {
    const left = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [creds.name]);
    expect(left.rowCount).toBe(0);
  } finally {
    await client.end();
  }
});

it.each(['redis', 'memcached'])(
  '%s: the bound app sets and gets; delete removes the container',
  async (offering) => {
    const name = `${offering}-${suffix}`;
    const create = await wharf('create-service', offering, 'small', name, '--wait');
    expectSuccess(create, 'create-service');
    expect(create.stdout).toContain(`Service instance ${name} created.`);
    expectSuccess(await wharf('bind-service', app, name), 'bind-service');
    const res = await get(`/${offering}?value=hello-${offering}`);
    expect(res.body).toEqual({ ok: true, read: `hello-${offering}` });
    const guid = (await wharf('service', name, '--guid')).stdout.trim();
    expect(serviceContainers(guid)).not.toBe('');
    const creds = await credentialsOf(offering);
    // The app reached the container by its name in services.internal (dnsmasq on the gateway).
    expect(creds.host).toMatch(new RegExp(`^${offering}-[0-9a-f]{12}\\.services\\.internal$`));
    const dns = /^WHARF_APPS_DNS=(.*)$/m.exec(
      readFileSync(join(E2E.stateDir, 'wharf.env'), 'utf8'),
    )?.[1];
    const ip = await serviceAddress(dns ?? '', creds.host ?? '');
    expectSuccess(await wharf('unbind-service', app, name), 'unbind-service');
    if (offering === 'redis') {
      // The binding's ACL user is gone with it.
      const [reply] = await redisCommands(ip, Number(creds.port), [
        ['AUTH', creds.username ?? '', creds.password ?? ''],
      ]);
      expect(reply).toMatch(/^-WRONGPASS/);
    } else {
      // The binding's memcached user is gone (memcached re-reads its users within a second).
      const login = `${creds.username ?? ''} ${creds.password ?? ''}`;
      let answer = '';
      for (let i = 0; i < 30; i++) {
        answer = await memcachedSession(
          ip,
          Number(creds.port),
          `set auth 0 0 ${Buffer.byteLength(login)}\r\n${login}\r\nget wharf-key\r\n`,
          /(END|ERROR[^\n]*)\r\n$/,
        ).catch((e: Error) => e.message);
        if (!answer.includes('VALUE')) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(answer).toMatch(/CLIENT_ERROR/);
    }
    expectSuccess(await wharf('delete-service', name, '-f'), 'delete-service');
    expect(serviceContainers(guid)).toBe('');
  },
);

describe('the audit trail', () => {
  it('has an audit event for every change this file made through the API, without secrets', async () => {
    await expectEveryChangeAudited(started, []);
  });
});
