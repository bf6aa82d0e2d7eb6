import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { JOB_QUEUES } from '@wharf/contracts';
import { UserCreateAction } from '@wharf/identity';
import type { WharfConfig } from '@wharf/platform/config';
import { RedisConnections } from '@wharf/platform/redis';
import { ApiModule } from '../../apps/api/src/api.module';
import { apiCall } from '../support/api-call';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { readEnvFile, testEnvFile } from '../support/test-env';

jest.setTimeout(180_000);

const root = resolve(__dirname, '../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const REQUESTS = 200;

/**
 * The API killed with SIGKILL at random moments while it serves state-changing requests, and
 * started again each time; no worker runs, so every job asked for is still in the queue or in the
 * outbox at the end. What the database holds afterwards must be whole: no change without its
 * audit event, no STAGING build without its build.stage job, no start, stop or scale without its
 * converge.
 */
describe('the API killed mid-request', () => {
  let db: TestDatabase;
  let config: WharfConfig;
  let port: number;
  let child: ChildProcess | null = null;
  let token = '';
  let pg: Client;
  let redis: RedisConnections;

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

  type Reply = { guid: string; var?: Record<string, string> };
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

    let kills = 0;
    let answered = 0;
    // Kills land anywhere in a request, most of them in its second half, where its transaction
    // commits and its jobs are pushed: timed by how long that kind of request takes on average.
    const averageMs = new Map<number, number>();
    const pick = <T>(xs: T[]): T => xs[Math.floor(Math.random() * xs.length)] as T;
    for (let n = 0; n < REQUESTS; n++) {
      const app = pick(apps);
      const requests: [string, string, unknown?][] = [
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
      const kind = Math.floor(Math.random() * requests.length);
      const [method, path, body] = requests[kind]!;
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
          request?: { instances?: number; environment_variables?: string[] };
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
    expect(problems).toEqual([]);
    // The test did exercise what it checks.
    expect(builds.length).toBeGreaterThan(5);
    expect(appRows.some((a) => a.state === 'STARTED')).toBe(true);
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
