import { createHash, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import {
  osbClient,
  osbConformance,
  provisionReady,
  type OsbTarget,
} from '../support/osb-conformance';
import {
  expectHostileIdsRefused,
  startTestBrokers,
  type TestBrokers,
} from '../support/test-brokers';

const POSTGRESQL = 'c02896c8-8615-4887-a778-6435c23310c8';
const SMALL = 'bf935c51-f127-46b6-aa00-d53857f50dfc';
const MEDIUM = 'a1af0d12-c681-4bdb-9ec1-9c9c5e07acac';

interface PgCredentials {
  uri: string;
  hostname: string;
  port: number;
  name: string;
  username: string;
  password: string;
  jdbcUrl: string;
}

let brokers: TestBrokers;
const target = (): OsbTarget => ({
  url: brokers.url,
  username: brokers.config.brokers.username,
  password: brokers.config.brokers.password,
  serviceId: POSTGRESQL,
  planId: SMALL,
  otherPlanId: MEDIUM,
});
const call = osbClient(target);

beforeAll(async () => {
  brokers = await startTestBrokers();
}, 60_000);

afterAll(async () => {
  await brokers?.close();
});

describe('postgresql broker: OSB conformance', () => {
  osbConformance(target, { async: false });
});

describe('postgresql broker: what a binding can do', () => {
  const ids = `service_id=${POSTGRESQL}&plan_id=${SMALL}`;
  const instanceA = randomUUID();
  const instanceB = randomUUID();
  const clients: Client[] = [];

  /**
   * A connection as the bound app would open it, except through 127.0.0.1: the credentials name
   * the apps network's gateway, which app containers reach and this host's own processes may not.
   */
  async function connect(c: PgCredentials, database = c.name): Promise<Client> {
    const client = new Client({
      host: '127.0.0.1',
      port: c.port,
      user: c.username,
      password: c.password,
      database,
    });
    client.on('error', () => undefined); // a terminated session reports here as well
    await client.connect();
    clients.push(client);
    return client;
  }

  async function bind(instanceId: string): Promise<PgCredentials> {
    const res = await call(
      'PUT',
      `/v2/service_instances/${instanceId}/service_bindings/${randomUUID()}`,
      {
        body: { service_id: POSTGRESQL, plan_id: SMALL, bind_resource: { app_guid: randomUUID() } },
      },
    );
    expect(res.status).toBe(201);
    return res.body.credentials as PgCredentials;
  }

  async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
    const c = new Client({ connectionString: brokers.config.brokers.servicesPgUrl });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  }

  beforeAll(async () => {
    await provisionReady(call, target(), instanceA);
    await provisionReady(call, target(), instanceB);
  }, 60_000);

  afterAll(async () => {
    for (const c of clients) await c.end().catch(() => undefined);
    for (const id of [instanceA, instanceB])
      await call('DELETE', `/v2/service_instances/${id}?${ids}`);
  });

  it('hands out credentials in the shape apps expect, naming the apps network address', async () => {
    const c = await bind(instanceA);
    expect(c).toEqual({
      uri: `postgres://${c.username}:${encodeURIComponent(c.password)}@${brokers.config.brokers.servicesHost}:${c.port}/${c.name}`,
      hostname: brokers.config.brokers.servicesHost,
      port: Number(new URL(brokers.config.brokers.servicesPgUrl).port),
      name: expect.stringMatching(/^svc_[0-9a-f]+$/) as string,
      username: expect.stringMatching(/^bind_[0-9a-f]+$/) as string,
      password: expect.stringMatching(/^\S{20,}$/) as string,
      jdbcUrl: expect.stringContaining(
        `jdbc:postgresql://${c.hostname}:${c.port}/${c.name}?user=`,
      ) as string,
    });
  });

  it('lets a binding create a table, write and read it; a later binding uses the same table', async () => {
    const first = await bind(instanceA);
    const db = await connect(first);
    await db.query('CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL)');
    await db.query(`INSERT INTO notes (body) VALUES ('hello')`);
    expect((await db.query('SELECT body FROM notes')).rows).toEqual([{ body: 'hello' }]);

    const second = await bind(instanceA);
    expect(second.username).not.toBe(first.username);
    const other = await connect(second);
    await other.query(`INSERT INTO notes (body) VALUES ('again')`);
    expect((await other.query('SELECT body FROM notes ORDER BY id')).rows).toEqual([
      { body: 'hello' },
      { body: 'again' },
    ]);
  });

  it("cannot connect to another instance's database, nor to the cluster's own", async () => {
    const a = await bind(instanceA);
    const b = await bind(instanceB);
    expect(b.name).not.toBe(a.name);
    await expect(connect(a, b.name)).rejects.toThrow(/permission denied for database/);
    await expect(connect(a, 'postgres')).rejects.toThrow(/permission denied for database/);
    await expect(connect(a, 'wharf_broker')).rejects.toThrow(/permission denied for database/);
  });

  it('unbind ends the binding: login refused, session terminated, role dropped', async () => {
    const bindingId = randomUUID();
    const bound = await call(
      'PUT',
      `/v2/service_instances/${instanceA}/service_bindings/${bindingId}`,
      {
        body: { service_id: POSTGRESQL, plan_id: SMALL },
      },
    );
    expect(bound.status).toBe(201);
    const creds = bound.body.credentials as PgCredentials;
    const session = await connect(creds);
    await session.query('CREATE TABLE made_by_unbound (v int)');
    await session.query('INSERT INTO made_by_unbound VALUES (7)');

    const res = await call(
      'DELETE',
      `/v2/service_instances/${instanceA}/service_bindings/${bindingId}?${ids}`,
    );
    expect(res.status).toBe(200);

    await expect(session.query('SELECT 1')).rejects.toThrow();
    await expect(connect(creds)).rejects.toThrow(/password authentication failed|does not exist/);
    expect(
      await admin(
        async (c) =>
          (await c.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [creds.username])).rowCount,
      ),
    ).toBe(0);
    // What it created belonged to the instance and outlives it.
    const other = await connect(await bind(instanceA));
    expect((await other.query('SELECT v FROM made_by_unbound')).rows).toEqual([{ v: 7 }]);
  });

  it('answers 400 to malformed instance and binding ids: no record, no role, no database', async () => {
    /** The names the driver would give an id's role and database. */
    const named = (prefix: string, id: string) =>
      `${prefix}_${createHash('sha256').update(id).digest('hex').slice(0, 24)}`;
    const logins = () =>
      admin(
        async (c) =>
          (await c.query(`SELECT count(*)::int AS n FROM pg_roles WHERE rolcanlogin`)).rows[0] as {
            n: number;
          },
      );
    const before = await logins();
    await expectHostileIdsRefused(
      call,
      brokers,
      { instanceId: instanceA, serviceId: POSTGRESQL, planId: SMALL, asynchronous: false },
      async (bad) => {
        const left = await admin(async (c) => ({
          roles: (
            await c.query(`SELECT 1 FROM pg_roles WHERE rolname = ANY($1)`, [
              [named('bind', bad), named('svc', bad)],
            ])
          ).rowCount,
          databases: (
            await c.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [named('svc', bad)])
          ).rowCount,
        }));
        expect(left).toEqual({ roles: 0, databases: 0 });
      },
    );
    expect(await logins()).toEqual(before);
  });

  it('takes ids of 100 characters of letters, digits, dots, underscores and dashes', async () => {
    const instanceId = `Aa0._-${'i'.repeat(94)}`;
    const bindingId = `Bb1._-${'b'.repeat(94)}`;
    await provisionReady(call, target(), instanceId);
    const bound = await call(
      'PUT',
      `/v2/service_instances/${instanceId}/service_bindings/${bindingId}`,
      { body: { service_id: POSTGRESQL, plan_id: SMALL } },
    );
    expect(bound.status).toBe(201);
    const db = await connect(bound.body.credentials as PgCredentials);
    expect((await db.query('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
    await db.end();
    const path = `/v2/service_instances/${instanceId}`;
    expect((await call('DELETE', `${path}/service_bindings/${bindingId}?${ids}`)).status).toBe(200);
    expect((await call('DELETE', `${path}?${ids}`)).status).toBe(200);
  });

  it('deprovision drops the database and every role made for it', async () => {
    const instanceId = randomUUID();
    await provisionReady(call, target(), instanceId);
    const creds = await bind(instanceId);
    const session = await connect(creds);
    await session.query('SELECT 1');

    const res = await call('DELETE', `/v2/service_instances/${instanceId}?${ids}`);
    expect(res.status).toBe(200);

    const left = await admin(async (c) => ({
      databases: (await c.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [creds.name]))
        .rowCount,
      roles: (
        await c.query(`SELECT 1 FROM pg_roles WHERE rolname = ANY($1)`, [
          [creds.name, creds.username],
        ])
      ).rowCount,
    }));
    expect(left).toEqual({ databases: 0, roles: 0 });
    await expect(session.query('SELECT 1')).rejects.toThrow();
    await expect(connect(creds)).rejects.toThrow();
  });
});
