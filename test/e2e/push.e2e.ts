import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppResource, ListResponse, ProcessStatsResponse } from '@wharf/contracts';
import { E2E } from './support/e2e-env';
import { killWithChildren, pidFrom } from './support/processes';
import { expectSuccess, run, RunResult, wharf } from './support/run';
import { expectEveryChangeAudited } from './support/audit-trail';

const started = new Date();

/**
 * `wharf push` and the app lifecycle as a user meets them: every buildpack's fixture pushed and
 * answering, crashes and their backoff, a start that times out, set-env, re-push, restage, the
 * build cache, instance restarts and kills. Instances are reached at their published address
 * (routes arrive with the routing issue).
 */
jest.setTimeout(300_000);

const FIXTURES = join(E2E.root, 'test/fixtures');
/** In a task's command: no audit event may carry it. */
const TASK_SECRET = 'e2e-task-secret-42';
const work = mkdtempSync(join(tmpdir(), 'wharf-e2e-push-'));

afterAll(() => rmSync(work, { recursive: true, force: true }));

async function json<T>(path: string): Promise<T> {
  const r = await wharf('curl', path);
  expectSuccess(r, `wharf curl ${path}`);
  return JSON.parse(r.stdout) as T;
}

async function appGuid(name: string): Promise<string> {
  const apps = await json<ListResponse<AppResource>>(`/v3/apps?names=${name}`);
  const guid = apps.resources[0]?.guid;
  if (!guid) throw new Error(`no app ${name}`);
  return guid;
}

async function stats(name: string): Promise<ProcessStatsResponse['resources']> {
  return (await json<ProcessStatsResponse>(`/v3/apps/${await appGuid(name)}/processes/web/stats`))
    .resources;
}

/** GET / of instance `index` of the app, at its published address. */
async function get(name: string, index = 0): Promise<{ status: number; text: string }> {
  const s = (await stats(name)).find((x) => x.index === index);
  const port = s?.instance_ports[0]?.external;
  if (!s || s.state !== 'RUNNING' || !port) throw new Error(`${name}/${index} is not running`);
  const res = await fetch(`http://${s.host}:${port}/`, { signal: AbortSignal.timeout(5000) });
  return { status: res.status, text: await res.text() };
}

async function eventually<T>(what: string, fn: () => Promise<T | null | false>, ms = 120_000) {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${String(last)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

function copyFixture(name: string): string {
  const dir = join(work, `${name}-${Date.now()}`);
  cpSync(join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

const push = (...args: string[]): Promise<RunResult> =>
  run(`${E2E.root}/bin/wharf`, ['push', ...args], { timeoutMs: 280_000 });

describe('wharf push', () => {
  it('pushes the node fixture: stages live, starts, and the instance sees the CF contract', async () => {
    const r = await push('node-e2e', '-p', copyFixture('node-app'), '-m', '256M');
    expectSuccess(r, 'push');
    for (const stage of [
      'Pushing app node-e2e to org wharf / space dev as admin...',
      'Packaging files to upload...',
      'Uploading files (',
      'Staging app and tracing logs...',
      '   -----> Nodejs Buildpack',
      'Waiting for app node-e2e to start...',
    ]) {
      expect(r.stdout).toContain(stage);
    }
    expect(r.stdout).toMatch(/requested state:\s+started/);
    expect(r.stdout).toMatch(/#0\s+running/);
    const body = JSON.parse((await get('node-e2e')).text) as {
      port: number;
      uid: number;
      vcap: Record<string, unknown>;
    };
    expect(body.port).toBe(8080);
    expect(body.uid).not.toBe(0);
    expect(body.vcap).toEqual(
      expect.objectContaining({
        application_name: 'node-e2e',
        application_id: await appGuid('node-e2e'),
        space_name: 'dev',
        organization_name: 'wharf',
        process_type: 'web',
        limits: expect.objectContaining({ mem: 256 }) as unknown,
      }),
    );
    expect(typeof body.vcap.version).toBe('string');
  });

  it.each([
    ['python-app', 'python', []],
    ['python-vendored', 'python', []],
    ['go-app', 'go', []],
    ['static-app', 'static', []],
    ['python-app', 'binary', ['-b', 'binary_buildpack', '-c', 'python3 app.py']],
  ])('pushes the %s fixture (%s) and it answers', async (fixture, kind, extra: string[]) => {
    const name = `${fixture}-${kind}-e2e`;
    const r = await push(name, '-p', copyFixture(fixture), '-m', '128M', ...extra);
    expectSuccess(r, `push ${fixture}`);
    const res = await get(name);
    expect(res.status).toBe(200);
  });

  it('uses the Procfile command (python-vendored) for the web process', async () => {
    const r = await wharf('app', 'python-vendored-python-e2e');
    expectSuccess(r, 'app');
    const procfile = readFileSync(join(FIXTURES, 'python-vendored/Procfile'), 'utf8');
    const web = /^web:\s*(.+)$/m.exec(procfile)?.[1]?.trim() ?? '';
    expect(web).not.toBe('');
    expect(r.stdout).toMatch(
      new RegExp(`start command:\\s+${web.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );
  });

  it('set-env restarts the app for the user: it sees the value when the command returns', async () => {
    const set = await wharf('set-env', 'node-e2e', 'GREETING', 'hello e2e');
    expectSuccess(set, 'set-env');
    expect(set.stdout).toContain('Restarting app node-e2e to apply the change...');
    expect(set.stdout).toContain('App node-e2e restarted.');
    const body = JSON.parse((await get('node-e2e')).text) as { greeting: string };
    expect(body.greeting).toBe('hello e2e');
  });

  it('a re-push of changed source serves the new content and reuses the build cache', async () => {
    const dir = copyFixture('node-app');
    writeFileSync(join(dir, 'version.json'), '{ "version": 2 }\n');
    const r = await push('node-e2e', '-p', dir, '-m', '256M');
    expectSuccess(r, 're-push');
    expect(r.stdout).toContain('Downloaded build artifacts cache');
    const body = JSON.parse((await get('node-e2e')).text) as { version: number };
    expect(body.version).toBe(2);
  });

  it('restage makes a new droplet', async () => {
    const before = await json<{ guid: string }>(
      `/v3/apps/${await appGuid('node-e2e')}/droplets/current`,
    );
    const r = await wharf('restage', 'node-e2e');
    expectSuccess(r, 'restage');
    const after = await json<{ guid: string }>(
      `/v3/apps/${await appGuid('node-e2e')}/droplets/current`,
    );
    expect(after.guid).not.toBe(before.guid);
    expect((await get('node-e2e')).status).toBe(200);
  });

  it('revisions lists what each start ran from, newest first, the running one deployed', async () => {
    const r = await wharf('revisions', 'node-e2e');
    expectSuccess(r, 'revisions');
    expect(r.stdout).toMatch(
      /^Getting revisions for app node-e2e in org \S+ \/ space \S+ as \S+\.\.\.$/m,
    );
    expect(r.stdout).toMatch(/^revision\s+description\s+deployable\s+revision guid\s+created at$/m);
    const rows = r.stdout.split('\n').filter((l) => /^\d+(\(deployed\))?\s/.test(l));
    // push, set-env (a restart with new variables), re-push, restage: one revision each.
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatch(/^4\(deployed\)\s+New droplet deployed\.\s+true\s/);
    expect(rows[2]).toMatch(/^2\s+New environment variables deployed\.\s/);
    expect(rows[3]).toMatch(/^1\s+Initial revision\.\s+(true|false)\s/);
    expect(rows.filter((l) => l.includes('(deployed)'))).toHaveLength(1);
  });

  it('restart-app-instance gives a new instance guid; kill -9 gives a new instance and app.crash', async () => {
    const first = (await stats('node-e2e'))[0]?.instance_guid;
    expectSuccess(await wharf('restart-app-instance', 'node-e2e', '0'), 'restart-app-instance');
    const second = await eventually('a new instance', async () => {
      const s = (await stats('node-e2e'))[0];
      return s?.state === 'RUNNING' && s.instance_guid !== first ? s.instance_guid : null;
    });

    const container = await run('docker', [
      'ps',
      '-q',
      '--filter',
      `label=wharf.instance_guid=${second}`,
    ]);
    expectSuccess(await run('docker', ['kill', '-s', 'KILL', container.stdout.trim()]), 'kill');
    await eventually('a replacement after the kill', async () => {
      const s = (await stats('node-e2e'))[0];
      return s?.state === 'RUNNING' && s.instance_guid !== second;
    });
    const events = await wharf('events', 'node-e2e');
    expectSuccess(events, 'events');
    expect(events.stdout).toContain('app.crash');
  });

  it('push -c /bin/false fails, shows crashed, records app.crash', async () => {
    const r = await push(
      'crasher-e2e',
      '-p',
      copyFixture('node-app'),
      '-c',
      '/bin/false',
      '-m',
      '128M',
    );
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toContain('Start unsuccessful');
    expect(r.stdout + r.stderr).toContain('wharf logs crasher-e2e --recent');
    const s = await eventually('crashed', async () =>
      (await stats('crasher-e2e'))[0]?.state === 'CRASHED' ? true : null,
    );
    expect(s).toBe(true);
    const events = await wharf('events', 'crasher-e2e');
    expect(events.stdout).toContain('app.crash');
  });

  it('an app that never listens on $PORT times out with the $PORT tip', async () => {
    const r = await push('idle-e2e', '-p', copyFixture('no-port-app'), '-t', '3', '-m', '128M');
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toContain('Start app timeout');
    expect(r.stdout + r.stderr).toContain('$PORT');
  });

  it('an empty folder fails staging with NoAppDetectedError', async () => {
    const dir = join(work, 'empty');
    mkdirSync(dir);
    writeFileSync(join(dir, '.keep'), '');
    const r = await push('empty-e2e', '-p', dir);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toContain('Error staging application');
    expect(r.stdout + r.stderr).toContain('NoAppDetectedError');
  });

  it('a malformed manifest names the field and its line', async () => {
    const dir = copyFixture('node-app');
    writeFileSync(join(dir, 'manifest.yml'), 'applications:\n- name: bad-e2e\n  memory: lots\n');
    const r = await run(`${E2E.root}/bin/wharf`, [
      'push',
      '-f',
      join(dir, 'manifest.yml'),
      '-p',
      dir,
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/memory.*line 3/);
  });

  it('logs --recent shows staging, cell, api and app lines', async () => {
    const r = await wharf('logs', 'node-e2e', '--recent');
    expectSuccess(r, 'logs --recent');
    for (const source of ['[STG/0]', '[CELL/0]', '[API/0]', '[APP/PROC/WEB/0]']) {
      expect(r.stdout).toContain(source);
    }
  });

  it("run-task runs a command on the droplet with the app's variables; tasks, logs and terminate-task show it", async () => {
    const ran = await wharf(
      'run-task',
      'node-e2e',
      '--command',
      `echo ${TASK_SECRET} >/dev/null; echo "task sees $GREETING"; node -e "process.exit(0)"`,
      '--name',
      'e2e-check',
      '-m',
      '128M',
      '--wait',
    );
    expectSuccess(ran, 'run-task --wait');
    expect(ran.stdout).toMatch(
      /^Creating task for app node-e2e in org \S+ \/ space \S+ as \S+\.\.\.$/m,
    );
    expect(ran.stdout).toContain('Task has been submitted successfully for execution.\nOK\n');
    expect(ran.stdout).toMatch(/^task name:\s+e2e-check$/m);
    expect(ran.stdout).toMatch(/^task id:\s+1$/m);
    expect(ran.stdout).toContain('Task 1 (e2e-check) succeeded.');
    await wharf('run-task', 'node-e2e', '-c', 'sleep 300', '--name', 'long');
    const listed = await wharf('tasks', 'node-e2e');
    expectSuccess(listed, 'tasks');
    expect(listed.stdout).toMatch(/^id\s+name\s+state\s+start time\s+command$/m);
    expect(listed.stdout).toMatch(/^2\s+long\s+(PENDING|RUNNING)\s/m);
    expect(listed.stdout).toMatch(/^1\s+e2e-check\s+SUCCEEDED\s/m);
    expectSuccess(await wharf('terminate-task', 'node-e2e', '2'), 'terminate-task');
    await eventually('the long task canceled', async () => {
      const r = await wharf('tasks', 'node-e2e');
      return /^2\s+long\s+FAILED\s/m.test(r.stdout);
    });
    const logs = await wharf('logs', 'node-e2e', '--recent');
    expect(logs.stdout).toMatch(/\[APP\/TASK\/e2e-check\/0\]\s+OUT task sees hello e2e$/m);
    expect(logs.stdout).toMatch(/\[APP\/TASK\/e2e-check\/0\]\s+OUT Exit status 0$/m);
    // The app itself went on serving.
    expect((await get('node-e2e')).status).toBe(200);
  });

  it('SIGKILL of api and worker neither kills nor duplicates the running instance', async () => {
    const before = (await stats('node-e2e'))[0];
    expect(before?.state).toBe('RUNNING');
    await killWithChildren(['api', 'worker'].map((p) => pidFrom(`${E2E.stateDir}/run/${p}.pid`)));
    expectSuccess(
      await run('bash', [`${E2E.root}/scripts/up.sh`], { timeoutMs: 300_000 }),
      'npm run up after SIGKILL',
    );
    // Past a sweep and the old leader's lease: the scheduler has looked again by then.
    await new Promise((r) => setTimeout(r, 20_000));
    const after = (await stats('node-e2e'))[0];
    expect(after?.state).toBe('RUNNING');
    expect(after?.instance_guid).toBe(before?.instance_guid);
    const containers = await run('docker', [
      'ps',
      '-q',
      '--filter',
      `label=wharf.app_guid=${await appGuid('node-e2e')}`,
    ]);
    expect(containers.stdout.trim().split('\n')).toHaveLength(1);
    expect((await get('node-e2e')).status).toBe(200);
  });

  it('stop removes the containers, delete -f removes the app', async () => {
    const guid = await appGuid('node-e2e');
    expectSuccess(await wharf('stop', 'node-e2e'), 'stop');
    const containers = async () =>
      (
        await run('docker', ['ps', '-aq', '--filter', `label=wharf.app_guid=${guid}`])
      ).stdout.trim();
    await eventually('no containers', async () => (await containers()) === '');
    expectSuccess(await wharf('delete', 'node-e2e', '-f'), 'delete');
    const apps = await json<ListResponse<AppResource>>('/v3/apps?names=node-e2e');
    expect(apps.resources).toHaveLength(0);
  });
});

describe('the audit trail', () => {
  it('has an audit event for every change this file made through the API, without secrets', async () => {
    await expectEveryChangeAudited(started, ['hello e2e', TASK_SECRET]);
  });
});
