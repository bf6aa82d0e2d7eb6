import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { JOB_QUEUES } from '@wharf/contracts';
import { PLATFORM_VISIBILITY } from '@wharf/access';
import { UserCreateAction } from '@wharf/identity';
import { JobRecordRepository } from '@wharf/platform/queue';
import {
  PlanVisibilityUpdateAction,
  ServiceBrokerCreateAction,
  ServiceBrokerSync,
  ServiceCatalogQueryService,
} from '@wharf/services';
import type { WharfConfig } from '@wharf/platform/config';
import { RedisConnections } from '@wharf/platform/redis';
import { ApiModule } from '../../apps/api/src/api.module';
import { apiCall } from '../support/api-call';
import { FixtureBroker, startFixtureBroker } from '../support/fixture-broker';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { readEnvFile, testEnvFile } from '../support/test-env';

// Every kill restarts the API from source, which takes seconds on a loaded machine.
jest.setTimeout(900_000);

const root = resolve(__dirname, '../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const REQUESTS = 200;

/**
 * The API killed with SIGKILL at random moments while it serves state-changing requests, and
 * started again each time; no worker runs, so every job asked for is still in the queue or in the
 * outbox at the end. The requests change apps and builds, organizations, spaces, users, roles,
 * quotas, user-provided service instances and bindings, and managed instances and service keys of
 * a fixture broker. What the database holds afterwards must be whole: no change without its
 * audit event (nor a delete event without its deletion), no STAGING build without its build.stage
 * job, no start, stop or scale without its converge, no /v3/jobs row PROCESSING without its job
 * queued or in the outbox, no delete request without its job or its job without the request.
 */
describe('the API killed mid-request', () => {
  let db: TestDatabase;
  let config: WharfConfig;
  let port: number;
  let child: ChildProcess | null = null;
  let token = '';
  let pg: Client;
  let redis: RedisConnections;
  let broker: FixtureBroker;
  let syncPlanGuid = '';

  const url = () => `http://127.0.0.1:${port}`;

  async function startApi(): Promise<void> {
    const env = {
      ...process.env,
      ...readEnvFile(testEnvFile()),
      WHARF_DATABASE_URL: config.databaseUrl,
      WHARF_QUEUE_PREFIX: config.queuePrefix,
      WHARF_INSTALLATION: config.installation,
      WHARF_API_HOST: '127.0.0.1',
      WHARF_API_PORT: String(port),
      WHARF_API_URL: url(),
      WHARF_LOG_LEVEL: 'error',
    };
    const proc = spawn(
      process.execPath,
      ['-r', resolve(root, 'test/support/ts-require.js'), resolve(root, 'apps/api/src/main.ts')],
      { env, cwd: root, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child = proc;
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`the API exited: ${stderr}`);
      const ok = await fetch(`${url()}/v3`)
        .then((r) => r.status < 500)
        .catch(() => false);
      if (ok) return;
      if (Date.now() > deadline) throw new Error(`the API did not start: ${stderr}`);
      await sleep(100);
    }
  }

  async function killApi(): Promise<void> {
    const proc = child;
    if (!proc || proc.exitCode !== null) return;
    const exited = once(proc, 'exit');
    proc.kill('SIGKILL');
    await exited;
  }

  type Reply = { guid: string; id?: string; var?: Record<string, string> };
  const api = apiCall(url, () => token);
  const call = (method: string, path: string, body?: unknown) => api<Reply>(method, path, body);

  beforeAll(async () => {
    db = await createTestDatabase();
    port = await freePort();
    config = { ...db.config, api: { host: '127.0.0.1', port, url: `http://127.0.0.1:${port}` } };
    // The admin the requests are made as, created in this process as test-platform does.
    const setup = await NestFactory.createApplicationContext(ApiModule.forRoot(config), {
      logger: ['error'],
    });
    await setup
      .get(UserCreateAction)
      .execute({ username: 'crash-admin', password: 'pw-crash-admin', admin: true, actor: null });
    // The fixture broker's catalog, fetched here (no worker runs) and its `sync` plan public.
    broker = await startFixtureBroker();
    const registered = await setup.get(ServiceBrokerCreateAction).execute({
      scope: PLATFORM_VISIBILITY,
      userGuid: null,
      fields: {
        name: 'crash-broker',
        url: broker.url,
        username: broker.username,
        password: broker.password,
      },
    });
    await setup
      .get(ServiceBrokerSync)
      .run({ jobGuid: registered.jobGuid, brokerGuid: registered.broker.guid });
    const plans = await setup
      .get(ServiceCatalogQueryService)
      .listPlans(
        PLATFORM_VISIBILITY,
        { names: ['sync'] },
        { page: 1, perPage: 10, orderBy: 'createdAt', direction: 'ASC' },
      );
    syncPlanGuid = plans.items[0]!.guid;
    await setup.get(PlanVisibilityUpdateAction).execute({
      scope: PLATFORM_VISIBILITY,
      planGuid: syncPlanGuid,
      type: 'public',
      organizationGuids: [],
      mode: 'replace',
    });
    expect(
      (await setup.get(JobRecordRepository).findByGuidUnscoped(registered.jobGuid))?.state,
    ).toBe('COMPLETE');
    await setup.close();
    pg = new Client({ connectionString: config.databaseUrl });
    await pg.connect();
    redis = new RedisConnections(config);
    await startApi();
    const res = await fetch(`${url()}/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from('cf:').toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: 'password',
        username: 'crash-admin',
        password: 'pw-crash-admin',
      }).toString(),
    });
    token = ((await res.json()) as { access_token: string }).access_token;
  });

  afterAll(async () => {
    await killApi();
    for (const name of new Set(Object.values(JOB_QUEUES))) {
      const q = new Queue(name, { connection: redis.bullmq(), prefix: config.queuePrefix });
      await q.obliterate({ force: true });
      await q.close();
    }
    await redis?.onApplicationShutdown();
    await pg?.end();
    await broker?.close();
    await db?.drop();
  });

  it('leaves no change without its audit event and no build or start without its job', async () => {
    const org = await call('POST', '/v3/organizations', { name: 'crash-org' });
    const space = await call('POST', '/v3/spaces', {
      name: 'crash-space',
      relationships: { organization: { data: { guid: org.body.guid } } },
    });
    const spaceGuid = space.body.guid;
    expect(spaceGuid).toBeDefined();

    // Apps with a package ready to stage and a droplet to start with. Staging never runs (no
    // worker), so the bits and the droplet need not exist: the rows are enough for the API.
    const apps: string[] = [];
    const packages: string[] = [];
    for (let i = 0; i < 4; i++) {
      const app = await call('POST', '/v3/apps', {
        name: `seed-${i}`,
        relationships: { space: { data: { guid: spaceGuid } } },
      });
      apps.push(app.body.guid);
      const pkg = await call('POST', '/v3/packages', {
        type: 'bits',
        relationships: { app: { data: { guid: app.body.guid } } },
      });
      packages.push(pkg.body.guid);
    }
    await pg.query(`UPDATE packages SET state = 'READY'`);
    await pg.query(`UPDATE apps SET current_droplet_guid = gen_random_uuid()`);
    // A managed instance to make service keys of: its provision never runs (no worker), so it is
    // marked done here, as the broker's answer would.
    const seedInstance = await call('POST', '/v3/service_instances', {
      type: 'managed',
      name: 'seed-managed',
      relationships: {
        space: { data: { guid: spaceGuid } },
        service_plan: { data: { guid: syncPlanGuid } },
      },
    });
    expect(seedInstance.status).toBe(202);
    await pg.query(
      `UPDATE service_instances SET last_operation_state = 'succeeded' WHERE name = 'seed-managed'`,
    );
    const seedManaged = (
      await pg.query<{ guid: string }>(
        `SELECT guid FROM service_instances WHERE name = 'seed-managed'`,
      )
    ).rows[0]!.guid;
    const guidsOf = async (sql: string, params: unknown[] = []) =>
      (await pg.query<{ guid: string }>(sql, params)).rows.map((r) => r.guid);

    let kills = 0;
    let answered = 0;
    // Kills land anywhere in a request, most of them in its second half, where its transaction
    // commits and its jobs are pushed: timed by how long that kind of request takes on average.
    const averageMs = new Map<number, number>();
    const pick = <T>(xs: T[]): T => xs[Math.floor(Math.random() * xs.length)] as T;
    const kinds = new Map<string, number>();
    for (let n = 0; n < REQUESTS; n++) {
      const app = pick(apps);
      const appRequests: [string, string, unknown?][] = [
        ['POST', `/v3/apps/${app}/actions/start`],
        ['POST', `/v3/apps/${app}/actions/stop`],
        ['POST', `/v3/apps/${app}/actions/restart`],
        [
          'POST',
          `/v3/apps/${app}/processes/web/actions/scale`,
          { instances: 1 + Math.floor(Math.random() * 3) },
        ],
        ['POST', '/v3/builds', { package: { guid: pick(packages) } }],
        ['PATCH', `/v3/apps/${app}/environment_variables`, { var: { [`K${n}`]: `v${n}` } }],
        [
          'POST',
          '/v3/apps',
          { name: `app-${n}`, relationships: { space: { data: { guid: spaceGuid } } } },
        ],
      ];
      // What exists now, read from the database (a killed request may have made it or not).
      const orgs = await guidsOf(`SELECT guid FROM organizations`);
      const org = pick(orgs);
      const spaces = await guidsOf(`SELECT guid FROM spaces WHERE guid <> $1`, [spaceGuid]);
      const users = await guidsOf(`SELECT guid FROM users WHERE username <> 'crash-admin'`);
      const roles = await guidsOf(`SELECT guid FROM roles`);
      const orgQuotas = await guidsOf(
        `SELECT guid FROM organization_quotas WHERE name <> 'default'`,
      );
      const provided = await guidsOf(
        `SELECT guid FROM service_instances WHERE type = 'user-provided'`,
      );
      const appBindings = await guidsOf(
        `SELECT guid FROM service_credential_bindings WHERE type = 'app'`,
      );
      // Requests about something that exists only once there is such a thing.
      const need = (...pools: string[][]) => pools.every((xs) => xs.length > 0);
      const otherRequests = (
        [
          ['POST', '/v3/organizations', { name: `org-${n}` }],
          ['PATCH', `/v3/organizations/${org}`, { name: `org-${n}-renamed` }],
          [
            'POST',
            '/v3/spaces',
            { name: `space-${n}`, relationships: { organization: { data: { guid: org } } } },
          ],
          ['PATCH', `/v3/spaces/${pick([spaceGuid, ...spaces])}`, { name: `space-${n}-renamed` }],
          ['POST', '/Users', { userName: `user-${n}`, password: `pw-user-${n}-long` }],
          need(users) && [
            'POST',
            '/v3/roles',
            {
              type: 'organization_user',
              relationships: {
                user: { data: { guid: pick(users) } },
                organization: { data: { guid: org } },
              },
            },
          ],
          need(roles) && ['DELETE', `/v3/roles/${pick(roles)}`],
          need(users) && ['DELETE', `/v3/users/${pick(users)}`],
          need(spaces) && ['DELETE', `/v3/spaces/${pick(spaces)}`],
          ['POST', '/v3/organization_quotas', { name: `oq-${n}` }],
          need(orgQuotas) && [
            'POST',
            `/v3/organization_quotas/${pick(orgQuotas)}/relationships/organizations`,
            { data: [{ guid: org }] },
          ],
          need(orgQuotas) && ['DELETE', `/v3/organization_quotas/${pick(orgQuotas)}`],
          [
            'POST',
            '/v3/space_quotas',
            {
              name: `sq-${n}`,
              relationships: { organization: { data: { guid: org } } },
            },
          ],
          [
            'POST',
            '/v3/service_instances',
            {
              type: 'user-provided',
              name: `ups-${n}`,
              credentials: { password: `secret-${n}` },
              relationships: { space: { data: { guid: spaceGuid } } },
            },
          ],
          need(provided) && [
            'PATCH',
            `/v3/service_instances/${pick(provided)}`,
            { name: `ups-${n}-renamed` },
          ],
          need(provided) && ['DELETE', `/v3/service_instances/${pick(provided)}`],
          need(provided) && [
            'POST',
            '/v3/service_credential_bindings',
            {
              type: 'app',
              relationships: {
                service_instance: { data: { guid: pick(provided) } },
                app: { data: { guid: app } },
              },
            },
          ],
          need(appBindings) && ['DELETE', `/v3/service_credential_bindings/${pick(appBindings)}`],
          [
            'POST',
            '/v3/service_instances',
            {
              type: 'managed',
              name: `mi-${n}`,
              relationships: {
                space: { data: { guid: spaceGuid } },
                service_plan: { data: { guid: syncPlanGuid } },
              },
            },
          ],
          [
            'POST',
            '/v3/service_credential_bindings',
            {
              type: 'key',
              name: `key-${n}`,
              relationships: { service_instance: { data: { guid: seedManaged } } },
            },
          ],
        ] as (false | [string, string, unknown?])[]
      ).filter((r): r is [string, string, unknown?] => r !== false);
      // Most requests are the apps' (so enough builds and starts happen), the rest identity and
      // services changes.
      // Of the rest, one of the kinds sent least so far: each is sent several times, so the
      // checks below always have organizations, instances and jobs to look at (drawn at random,
      // a run once sent no organization create at all).
      const requests = [...appRequests, ...otherRequests];
      const nameOf = ([m, path]: [string, string, unknown?]) =>
        `${m} ${path.replace(/[0-9a-f-]{36}/g, ':guid')}`;
      const leastSent = () => {
        const counts = otherRequests.map((r) => kinds.get(nameOf(r)) ?? 0);
        const fewest = Math.min(...counts);
        return pick(counts.flatMap((c, i) => (c === fewest ? [i] : [])));
      };
      const kind =
        Math.random() < 0.65
          ? Math.floor(Math.random() * appRequests.length)
          : appRequests.length + leastSent();
      const [method, path, body] = requests[kind]!;
      const named = nameOf(requests[kind]!);
      kinds.set(named, (kinds.get(named) ?? 0) + 1);
      const sent = Date.now();
      const request = call(method, path, body).then(
        (res) => {
          answered++;
          const took = Date.now() - sent;
          averageMs.set(kind, 0.8 * (averageMs.get(kind) ?? took) + 0.2 * took);
          return res;
        },
        () => null,
      );
      if (Math.random() < 0.15) {
        await sleep((0.3 + Math.random() * 0.8) * (averageMs.get(kind) ?? 30));
        await killApi();
        kills++;
        await request;
        await startApi();
      } else {
        const res = await request;
        if (res && path === '/v3/apps' && res.status === 201) apps.push(res.body.guid);
      }
    }
    expect(kills).toBeGreaterThanOrEqual(10);
    expect(answered).toBeGreaterThan(REQUESTS / 2);

    const events = (
      await pg.query<{
        type: string;
        target_guid: string;
        data: {
          build_guid?: string;
          role_guid?: string;
          organization_guids?: string[];
          request?: { instances?: number; environment_variables?: string[]; name?: string };
        };
      }>(`SELECT type, target_guid, data FROM audit_events ORDER BY created_at, guid`)
    ).rows;
    const outbox = (
      await pg.query<{ name: string; key: string; payload: Record<string, string> }>(
        `SELECT name, key, payload FROM job_outbox`,
      )
    ).rows;
    const stageQueue = new Queue(JOB_QUEUES['build.stage'], {
      connection: redis.bullmq(),
      prefix: config.queuePrefix,
    });
    const convergeQueue = new Queue(JOB_QUEUES['app.converge'], {
      connection: redis.bullmq(),
      prefix: config.queuePrefix,
    });
    const queuedIds = async (q: Queue) =>
      new Set((await q.getJobs(['waiting', 'delayed', 'prioritized', 'active'])).map((j) => j.id));
    const staged = await queuedIds(stageQueue);
    const converges = [...(await queuedIds(convergeQueue))].filter(
      (id): id is string => !!id?.startsWith('app.converge#'),
    );
    await stageQueue.close();
    await convergeQueue.close();
    // Every job waiting in any queue, by id (`<name>#<key>`).
    const queued = new Set<string>();
    for (const name of new Set(Object.values(JOB_QUEUES))) {
      const q = new Queue(name, { connection: redis.bullmq(), prefix: config.queuePrefix });
      for (const id of await queuedIds(q)) if (id) queued.add(id);
      await q.close();
    }

    const problems: string[] = [];
    // Every app has its creation event and its web process.
    const appRows = (
      await pg.query<{ guid: string; state: string }>(`SELECT guid, state FROM apps`)
    ).rows;
    for (const app of appRows) {
      if (!events.some((e) => e.type === 'audit.app.create' && e.target_guid === app.guid))
        problems.push(`app ${app.guid} has no audit.app.create`);
    }
    // Every build has its event, and each (all STAGING: nothing stages) has its job.
    const builds = (
      await pg.query<{ guid: string; state: string }>(`SELECT guid, state FROM builds`)
    ).rows;
    for (const build of builds) {
      if (
        !events.some((e) => e.type === 'audit.app.build.create' && e.data.build_guid === build.guid)
      )
        problems.push(`build ${build.guid} has no audit.app.build.create`);
      const job = staged.has(`build.stage#${build.guid}`);
      const row = outbox.some((r) => r.name === 'build.stage' && r.key === build.guid);
      if (build.state === 'STAGING' && !job && !row)
        problems.push(`build ${build.guid} is STAGING with no build.stage job`);
    }
    for (const app of appRows) {
      const mine = events.filter((e) => e.target_guid === app.guid);
      // The state is the last start, restart or stop's.
      const last = mine
        .filter((e) => ['audit.app.start', 'audit.app.restart', 'audit.app.stop'].includes(e.type))
        .pop();
      const expected = !last || last.type === 'audit.app.stop' ? 'STOPPED' : 'STARTED';
      if (app.state !== expected)
        problems.push(`app ${app.guid} is ${app.state} but its last event is ${last?.type}`);
      // Every start, restart, stop and scale asked for a converge, which is queued or in the outbox.
      const asked = mine.filter((e) =>
        [
          'audit.app.start',
          'audit.app.restart',
          'audit.app.stop',
          'audit.app.process.scale',
        ].includes(e.type),
      ).length;
      const queued =
        converges.filter((id) => id.startsWith(`app.converge#${app.guid}@`)).length +
        outbox.filter((r) => r.name === 'app.converge' && r.payload.appGuid === app.guid).length;
      if (queued < asked)
        problems.push(`app ${app.guid}: ${asked} converges asked for, ${queued} queued`);
      // The web process has the instances of its last scale.
      const scale = mine.filter((e) => e.type === 'audit.app.process.scale').pop();
      const { rows } = await pg.query<{ instances: number }>(
        `SELECT instances FROM processes WHERE app_guid = $1 AND type = 'web'`,
        [app.guid],
      );
      if (rows.length !== 1) problems.push(`app ${app.guid} has ${rows.length} web processes`);
      else if (rows[0]!.instances !== (scale?.data.request?.instances ?? 1))
        problems.push(`app ${app.guid} runs ${rows[0]!.instances} instances, not its last scale's`);
      // Every variable it has was set by a request that has its event.
      const env = await call('GET', `/v3/apps/${app.guid}/environment_variables`);
      const named = new Set(
        mine
          .filter((e) => e.type === 'audit.app.update')
          .flatMap((e) => e.data.request?.environment_variables ?? []),
      );
      for (const name of Object.keys(env.body.var ?? {}))
        if (!named.has(name)) problems.push(`app ${app.guid} has ${name} with no audit event`);
    }

    // Identity and services: every row has the event of its creation, and its name is its last
    // create or update event's.
    const typed = (type: string) => events.filter((e) => e.type === type);
    const named = async (
      what: string,
      sql: string,
      created: string,
      updated: string | null,
    ): Promise<{ guid: string; name: string }[]> => {
      const rows = (await pg.query<{ guid: string; name: string }>(sql)).rows;
      for (const row of rows) {
        const mine = events.filter(
          (e) => e.target_guid === row.guid && (e.type === created || e.type === updated),
        );
        if (!mine.some((e) => e.type === created))
          problems.push(`${what} ${row.guid} has no ${created}`);
        const last = mine.filter((e) => e.data.request?.name !== undefined).pop();
        if (updated && last && last.data.request?.name !== row.name)
          problems.push(`${what} ${row.guid} is named ${row.name}, not as its last event says`);
      }
      return rows;
    };
    const orgRows = await named(
      'organization',
      `SELECT guid, name FROM organizations`,
      'audit.organization.create',
      'audit.organization.update',
    );
    const spaceRows = await named(
      'space',
      `SELECT guid, name FROM spaces`,
      'audit.space.create',
      'audit.space.update',
    );
    const userRows = await named(
      'user',
      `SELECT guid, username AS name FROM users WHERE username <> 'crash-admin'`,
      'audit.user.create',
      null,
    );
    const orgQuotaRows = await named(
      'organization quota',
      `SELECT guid, name FROM organization_quotas WHERE name <> 'default'`,
      'audit.organization_quota.create',
      null,
    );
    const spaceQuotaRows = await named(
      'space quota',
      `SELECT guid, name FROM space_quotas`,
      'audit.space_quota.create',
      null,
    );
    const providedRows = await named(
      'user-provided instance',
      `SELECT guid, name FROM service_instances WHERE type = 'user-provided'`,
      'audit.user_provided_service_instance.create',
      'audit.user_provided_service_instance.update',
    );
    const managedRows = await named(
      'managed instance',
      `SELECT guid, name FROM service_instances WHERE type = 'managed'`,
      'audit.service_instance.create',
      null,
    );
    const bindingRows = (
      await pg.query<{ guid: string; type: string; service_instance_guid: string }>(
        `SELECT guid, type, service_instance_guid FROM service_credential_bindings`,
      )
    ).rows;
    for (const b of bindingRows) {
      const created =
        b.type === 'app' ? 'audit.service_binding.create' : 'audit.service_key.start_create';
      if (!events.some((e) => e.type === created && e.target_guid === b.guid))
        problems.push(`binding ${b.guid} has no ${created}`);
    }
    const roleRows = (
      await pg.query<{ guid: string; type: string }>(`SELECT guid, type FROM roles`)
    ).rows;
    for (const role of roleRows) {
      if (!typed(`audit.user.${role.type}_add`).some((e) => e.data.role_guid === role.guid))
        problems.push(`role ${role.guid} has no audit.user.${role.type}_add`);
    }
    // What is gone went with its delete event, and a delete event's target is gone.
    const gone = (
      what: string,
      created: string[],
      deleted: (guid: string) => boolean,
      rows: { guid: string }[],
    ) => {
      const exists = new Set(rows.map((r) => r.guid));
      for (const e of events.filter((x) => created.includes(x.type)))
        if (!exists.has(e.target_guid) && !deleted(e.target_guid))
          problems.push(`${what} ${e.target_guid} is gone with no delete event`);
    };
    const deletedUps = new Set(
      typed('audit.user_provided_service_instance.delete').map((e) => e.target_guid),
    );
    const deletedBindings = new Set(
      typed('audit.service_binding.delete').map((e) => e.target_guid),
    );
    const deletedQuotas = new Set(
      typed('audit.organization_quota.delete-request').map((e) => e.target_guid),
    );
    gone(
      'user-provided instance',
      ['audit.user_provided_service_instance.create'],
      (g) => deletedUps.has(g),
      providedRows,
    );
    gone(
      'organization quota',
      ['audit.organization_quota.create'],
      (g) => deletedQuotas.has(g),
      orgQuotaRows,
    );
    // A binding goes by its own delete, or with its user-provided instance.
    const bindingEvents = (
      await pg.query<{ target_guid: string; instance: string }>(
        `SELECT target_guid, data->'request'->>'service_instance_guid' AS instance
           FROM audit_events WHERE type = 'audit.service_binding.create'`,
      )
    ).rows;
    const instanceOf = new Map(bindingEvents.map((r) => [r.target_guid, r.instance]));
    gone(
      'binding',
      ['audit.service_binding.create'],
      (g) => deletedBindings.has(g) || deletedUps.has(instanceOf.get(g) ?? ''),
      bindingRows,
    );
    for (const [what, guids, rows] of [
      ['user-provided instance', deletedUps, providedRows],
      ['binding', deletedBindings, bindingRows],
      ['organization quota', deletedQuotas, orgQuotaRows],
    ] as const)
      for (const guid of guids)
        if (rows.some((r) => r.guid === guid))
          problems.push(`${what} ${guid} has its delete event but is still there`);
    // An organization's quota is the one its last apply gave it, or the default.
    const defaultQuota = (
      await pg.query<{ guid: string }>(
        `SELECT guid FROM organization_quotas WHERE name = 'default'`,
      )
    ).rows[0]!.guid;
    const quotaOf = new Map(
      (
        await pg.query<{ guid: string; quota_guid: string }>(
          `SELECT guid, quota_guid FROM organizations`,
        )
      ).rows.map((r) => [r.guid, r.quota_guid]),
    );
    for (const org of orgRows) {
      const last = typed('audit.organization_quota.apply')
        .filter((e) => e.data.organization_guids?.includes(org.guid))
        .pop();
      if (quotaOf.get(org.guid) !== (last?.target_guid ?? defaultQuota))
        problems.push(`organization ${org.guid} has a quota no apply event gave it`);
    }
    // Every /v3/jobs row still PROCESSING has its job queued or in the outbox.
    const jobRows = (
      await pg.query<{ guid: string; state: string; operation: string; resource_guid: string }>(
        `SELECT guid, state, operation, resource_guid FROM jobs`,
      )
    ).rows;
    const queuedKeys = new Set([...queued].map((id) => id.slice(id.indexOf('#') + 1)));
    for (const job of jobRows.filter((j) => j.state === 'PROCESSING'))
      if (!queuedKeys.has(job.guid) && !outbox.some((r) => r.key === job.guid))
        problems.push(`job ${job.guid} (${job.operation}) is PROCESSING with no job behind it`);
    // A delete request is its job and its event, never one without the other.
    const requested = [
      ...typed('audit.space.delete-request').map((e) => ['space.delete', e.target_guid]),
      ...typed('audit.user.delete-request').map((e) => ['user.delete', e.target_guid]),
      ...events
        .filter((e) => /^audit\.user\.[a-z_]+_remove$/.test(e.type))
        .map((e) => ['role.delete', e.data.role_guid ?? '']),
      ...typed('audit.organization_quota.delete-request').map((e) => [
        'organization_quota.delete',
        e.target_guid,
      ]),
    ].map(([op, guid]) => `${op} ${guid}`);
    const deleteJobs = jobRows
      .filter((j) =>
        ['space.delete', 'user.delete', 'role.delete', 'organization_quota.delete'].includes(
          j.operation,
        ),
      )
      .map((j) => `${j.operation} ${j.resource_guid}`);
    for (const r of requested)
      if (!deleteJobs.includes(r)) problems.push(`${r}: an event with no job`);
    for (const j of deleteJobs)
      if (!requested.includes(j)) problems.push(`${j}: a job with no event`);
    // A user whose deletion was accepted has no session left (its token generation moved on).
    const deletedUsers = jobRows
      .filter((j) => j.operation === 'user.delete')
      .map((j) => j.resource_guid);
    if (deletedUsers.length) {
      const { rows } = await pg.query<{ guid: string }>(
        `SELECT guid FROM users WHERE guid = ANY($1) AND token_generation = 0`,
        [deletedUsers],
      );
      for (const u of rows) problems.push(`user ${u.guid} is being deleted but its sessions live`);
    }
    // Every managed instance and key whose operation has not reached the broker has its job row.
    const pending = (
      await pg.query<{ guid: string; job: string | null }>(
        `SELECT guid, last_operation_job_guid AS job FROM service_instances
          WHERE type = 'managed' AND last_operation_state = 'initial'
         UNION ALL
         SELECT guid, last_operation_job_guid AS job FROM service_credential_bindings
          WHERE last_operation_state = 'initial'`,
      )
    ).rows;
    for (const p of pending)
      if (!jobRows.some((j) => j.guid === p.job && j.state === 'PROCESSING'))
        problems.push(`${p.guid} waits for the broker with no PROCESSING job`);

    const checked = {
      apps: appRows.length,
      builds: builds.length,
      organizations: orgRows.length,
      spaces: spaceRows.length,
      users: userRows.length,
      roles: roleRows.length,
      quotas: orgQuotaRows.length + spaceQuotaRows.length,
      instances: providedRows.length + managedRows.length,
      bindings: bindingRows.length,
      jobs: jobRows.length,
      events: events.length,
    };
    console.log(
      `api-crash: ${REQUESTS} requests, ${kills} kills, ${answered} answered; checked ${JSON.stringify(checked)}; kinds ${JSON.stringify(Object.fromEntries(kinds))}`,
    );
    expect(problems).toEqual([]);
    // The test did exercise what it checks.
    expect(builds.length).toBeGreaterThan(5);
    // Some app was started: its state was checked against a start, not only against stops (the
    // final states alone may all be STOPPED, as a start may be followed by a stop).
    expect(events.some((e) => ['audit.app.start', 'audit.app.restart'].includes(e.type))).toBe(
      true,
    );
    expect(orgRows.length).toBeGreaterThan(1);
    expect(providedRows.length + managedRows.length).toBeGreaterThan(1);
    expect(jobRows.some((j) => j.state === 'PROCESSING')).toBe(true);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolvePort(port));
    });
  });
}
