import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type {
  AppResource,
  AuditEventResource,
  BuildResource,
  ListResponse,
  PackageResource,
  TaskResource,
} from '@wharf/contracts';
import { CellRegisterAction } from '@wharf/cells';
import { LogStore } from '@wharf/platform/logstream';
import { createContainerRuntime } from '@wharf/platform/runtime';
import { SchedulerLeader } from '@wharf/scheduling';
import { startTestPlatform, TestPlatform } from '../support/test-platform';

/**
 * Tasks on the real Docker engine: a task runs its command in a container of the app's droplet
 * with the app's variables, its output is in the app's log as `[APP/TASK/<name>/0]`, and it ends
 * SUCCEEDED or FAILED with CF's reason (an exit status, out of memory, a cancel); dozens run at
 * once; quotas count them; roles see and change what CF lets them; the API refuses what CF
 * refuses, and no task leaves a container behind.
 */
jest.setTimeout(300_000);

const ROOT = resolve(__dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'wharf-tasks-'));
type Guided = { guid: string };
type CfErrors = { errors: { code: number; title: string; detail: string }[] };

let platform: TestPlatform;
const tokens: Record<string, string> = {};
let org: Guided;
let space: Guided;
let app: AppResource;
let droplet: string;

async function call<T>(who: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${platform.url}${path}`, {
    method,
    headers: {
      authorization: `bearer ${tokens[who] ?? ''}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

async function as<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await call<T>('admin', method, path, body);
  if (res.status >= 300)
    throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function until<T>(
  what: string,
  fn: () => Promise<T | null | undefined | false>,
  ms = 120_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const run = (body: Record<string, unknown>, appGuid = app.guid) =>
  call<TaskResource>('admin', 'POST', `/v3/apps/${appGuid}/tasks`, body);

const ended = (guid: string) =>
  until(`task ${guid} to end`, async () => {
    const t = await as<TaskResource>('GET', `/v3/tasks/${guid}`);
    return t.state === 'SUCCEEDED' || t.state === 'FAILED' ? t : null;
  });

async function logLines(source: string): Promise<string[]> {
  const envelopes = await platform.worker.get(LogStore).read(app.guid, { limit: 1000 });
  return envelopes
    .filter((e) => e.tags.source_type === source)
    .map((e) => Buffer.from(e.log.payload, 'base64').toString('utf8'));
}

const taskContainers = async () =>
  createContainerRuntime(platform.config.dockerHost).listContainers({
    labels: { 'wharf.installation': platform.config.installation, 'wharf.role': 'task' },
    all: true,
  });

beforeAll(async () => {
  platform = await startTestPlatform();
  await platform.api
    .get(CellRegisterAction)
    .execute({ name: 'local', dockerEndpoint: platform.config.dockerHost });
  await platform.worker.get(SchedulerLeader).sweep();
  tokens.admin = await platform.login('tasker', { admin: true });
  org = await as<Guided>('POST', '/v3/organizations', { name: 'task-org' });
  space = await as<Guided>('POST', '/v3/spaces', {
    name: 'task-space',
    relationships: { organization: { data: { guid: org.guid } } },
  });
  for (const who of ['auditor', 'outsider']) tokens[who] = await platform.login(who);
  const auditor = (await as<ListResponse<Guided>>('GET', '/v3/users?usernames=auditor'))
    .resources[0];
  for (const type of ['organization_user', 'space_auditor']) {
    const target = type.startsWith('space') ? space : org;
    await as('POST', '/v3/roles', {
      type,
      relationships: {
        user: { data: { guid: auditor?.guid } },
        [type.startsWith('space') ? 'space' : 'organization']: { data: { guid: target.guid } },
      },
    });
  }
  app = await as<AppResource>('POST', '/v3/apps', {
    name: 'tasks-app',
    relationships: { space: { data: { guid: space.guid } } },
  });
  const pkg = await as<PackageResource>('POST', '/v3/packages', {
    type: 'bits',
    relationships: { app: { data: { guid: app.guid } } },
  });
  const dir = join(work, 'app');
  cpSync(join(ROOT, 'test/fixtures/node-app'), dir, { recursive: true });
  const archive = join(work, 'app.tgz');
  execFileSync('tar', ['-czf', archive, '-C', dir, '.']);
  const form = new FormData();
  form.append('bits', new Blob([readFileSync(archive)]), 'app.tgz');
  const up = await fetch(`${platform.url}/v3/packages/${pkg.guid}/upload`, {
    method: 'POST',
    headers: { authorization: `bearer ${tokens.admin ?? ''}` },
    body: form,
  });
  expect(up.status).toBe(200);
  const build = await as<BuildResource>('POST', '/v3/builds', { package: { guid: pkg.guid } });
  const staged = await until('the build', async () => {
    const b = await as<BuildResource>('GET', `/v3/builds/${build.guid}`);
    return b.state === 'STAGING' ? null : b;
  });
  expect(staged.error).toBeNull();
  droplet = staged.droplet?.guid ?? '';
});

afterAll(async () => {
  await platform?.close();
  const runtime = createContainerRuntime(platform.config.dockerHost);
  const mine = { 'wharf.installation': platform.config.installation };
  for (const c of await runtime.listContainers({ labels: mine, all: true }))
    await runtime.removeContainer(c.id, { force: true });
  const images = await runtime.listImages({ labels: mine });
  images.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  for (const i of images) await runtime.removeImage(i.id, { force: true });
  for (const v of await runtime.listVolumes({ labels: mine })) await runtime.removeVolume(v.name);
  rmSync(work, { recursive: true, force: true });
});

describe('tasks', () => {
  it('needs a droplet: none assigned is CF 422, with nothing recorded', async () => {
    const res = await run({ command: 'true' });
    expect(res.status).toBe(422);
    expect((res.body as unknown as CfErrors).errors[0]?.detail).toBe(
      'Task must have a droplet. Specify droplet or assign current droplet to app.',
    );
    expect(
      (await as<ListResponse<TaskResource>>('GET', `/v3/apps/${app.guid}/tasks`)).resources,
    ).toEqual([]);
  });

  it('runs a command on the droplet of a stopped app with its variables, logs it and succeeds', async () => {
    await as('PATCH', `/v3/apps/${app.guid}/relationships/current_droplet`, {
      data: { guid: droplet },
    });
    await as('PATCH', `/v3/apps/${app.guid}/environment_variables`, {
      var: { GREETING: 'hi there' },
    });
    const created = await run({
      command:
        'echo "greeting=$GREETING app=$(echo $VCAP_APPLICATION | grep -o tasks-app | head -1)"; node --version',
      memory_in_mb: 256,
    });
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({
      sequence_id: 1,
      state: 'PENDING',
      memory_in_mb: 256,
      disk_in_mb: 1024,
      result: { failure_reason: null },
      droplet_guid: droplet,
      relationships: { app: { data: { guid: app.guid } } },
      links: { cancel: { method: 'POST' } },
    });
    expect(created.body.name).toMatch(/^[0-9a-f]{8}$/);
    const done = await ended(created.body.guid);
    expect(done.state).toBe('SUCCEEDED');
    expect(done.result.failure_reason).toBeNull();
    const source = `APP/TASK/${created.body.name}`;
    const lines = await until('the exit status in the log', async () => {
      const l = await logLines(source);
      return l.includes('Exit status 0') ? l : null;
    });
    expect(lines[0]).toBe('greeting=hi there app=tasks-app');
    expect(lines[1]).toMatch(/^v\d+\./);
    expect(lines[lines.length - 1]).toBe('Exit status 0');
    await until('its container removed', async () => (await taskContainers()).length === 0);
    const events = await as<ListResponse<AuditEventResource>>(
      'GET',
      `/v3/audit_events?types=audit.app.task.create&target_guids=${app.guid}`,
    );
    expect(events.resources[0]?.data).toMatchObject({
      task_guid: created.body.guid,
      request: { name: created.body.name, command: '[PRIVATE DATA HIDDEN]', memory_in_mb: 256 },
    });
    const appNow = await as<AppResource>('GET', `/v3/apps/${app.guid}`);
    expect(appNow.state).toBe('STOPPED');
  });

  it('fails with the exit status, and with "(out of memory)" past its memory limit', async () => {
    const exit = await run({ command: 'echo bye; exit 3', name: 'exits' });
    const oom = await run({
      command: 'node -e "const a = []; for (;;) a.push(Buffer.alloc(1 << 20, 1))"',
      name: 'hungry',
      memory_in_mb: 64,
    });
    expect((await ended(exit.body.guid)).result.failure_reason).toBe(
      'APP/TASK/exits: Exited with status 3',
    );
    const hungry = await ended(oom.body.guid);
    expect(hungry.state).toBe('FAILED');
    expect(hungry.result.failure_reason).toMatch(
      /^APP\/TASK\/hungry: Exited with status \d+ \(out of memory\)$/,
    );
    expect(exit.body.sequence_id).toBe(2);
    expect(oom.body.sequence_id).toBe(3);
  });

  it('cancels a running task: CANCELING, then FAILED "task was cancelled"; an ended one is 422', async () => {
    const t = await run({
      command: 'trap "echo terminated; exit 0" TERM; echo started; while true; do sleep 0.2; done',
      name: 'sleeper',
    });
    await until('it runs', async () => {
      const lines = await logLines('APP/TASK/sleeper');
      return lines.includes('started');
    });
    expect((await as<TaskResource>('GET', `/v3/tasks/${t.body.guid}`)).state).toBe('RUNNING');
    const canceled = await call<TaskResource>(
      'admin',
      'POST',
      `/v3/tasks/${t.body.guid}/actions/cancel`,
    );
    expect(canceled.status).toBe(202);
    expect(['CANCELING', 'FAILED']).toContain(canceled.body.state);
    const done = await ended(t.body.guid);
    expect(done).toMatchObject({
      state: 'FAILED',
      result: { failure_reason: 'task was cancelled' },
    });
    // The command had its SIGTERM, and ended on it.
    await until('its TERM in the log', async () =>
      (await logLines('APP/TASK/sleeper')).includes('terminated'),
    );
    const again = await call<CfErrors>('admin', 'PUT', `/v3/tasks/${t.body.guid}/cancel`);
    expect(again.status).toBe(422);
    expect(again.body.errors[0]).toMatchObject({
      code: 10008,
      title: 'CF-UnprocessableEntity',
      detail: 'Task state is FAILED and therefore cannot be canceled',
    });
    const events = await as<ListResponse<AuditEventResource>>(
      'GET',
      `/v3/audit_events?types=audit.app.task.cancel&target_guids=${app.guid}`,
    );
    expect(events.resources).toHaveLength(1);
  });

  it('runs dozens at once, each to its end with its output, leaving no container', async () => {
    const created = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        run({ command: `sleep 1; echo "task ${i} done"`, name: `bulk-${i}`, memory_in_mb: 64 }),
      ),
    );
    expect(created.map((c) => c.status)).toEqual(Array(25).fill(202));
    // Numbered one by one, none twice.
    expect(new Set(created.map((c) => c.body.sequence_id)).size).toBe(25);
    const done = await Promise.all(created.map((c) => ended(c.body.guid)));
    expect(done.map((t) => t.state)).toEqual(Array(25).fill('SUCCEEDED'));
    for (let i = 0; i < 25; i++) {
      await until(`the output of bulk-${i}`, async () =>
        (await logLines(`APP/TASK/bulk-${i}`)).includes(`task ${i} done`),
      );
    }
    await until('every container removed', async () => (await taskContainers()).length === 0);
    const page = await as<ListResponse<TaskResource>>(
      'GET',
      `/v3/tasks?app_guids=${app.guid}&states=SUCCEEDED&per_page=5`,
    );
    expect(page.pagination.total_results).toBe(26);
    // Lists never carry the command.
    expect(page.resources.every((t) => t.command === undefined)).toBe(true);
  });

  it('shows tasks to whom CF does: auditors without the command and unable to cancel, others not at all', async () => {
    const t = await run({ command: 'echo secret-token', name: 'visible' });
    await ended(t.body.guid);
    const asAuditor = await call<TaskResource>('auditor', 'GET', `/v3/tasks/${t.body.guid}`);
    expect(asAuditor.status).toBe(200);
    expect(asAuditor.body.command).toBeUndefined();
    expect((await as<TaskResource>('GET', `/v3/tasks/${t.body.guid}`)).command).toBe(
      'echo secret-token',
    );
    const cancel = await call<CfErrors>(
      'auditor',
      'POST',
      `/v3/tasks/${t.body.guid}/actions/cancel`,
    );
    expect(cancel.status).toBe(403);
    const create = await call<CfErrors>('auditor', 'POST', `/v3/apps/${app.guid}/tasks`, {
      command: 'true',
    });
    expect(create.status).toBe(403);
    expect((await call('outsider', 'GET', `/v3/tasks/${t.body.guid}`)).status).toBe(404);
    const listed = await call<ListResponse<TaskResource>>('outsider', 'GET', '/v3/tasks');
    expect(listed.body.resources).toEqual([]);
    const unknown = await call<CfErrors>(
      'admin',
      'GET',
      '/v3/tasks/6a0c9fd4-0000-4000-8000-000000000000',
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors[0]?.detail).toBe('Task not found');
  });

  it('refuses what CF refuses: no command, unknown fields, a droplet of another app', async () => {
    const detail = async (body: Record<string, unknown>) => {
      const res = await call<CfErrors>('admin', 'POST', `/v3/apps/${app.guid}/tasks`, body);
      expect(res.status).toBe(422);
      return res.body.errors[0]?.detail;
    };
    expect(await detail({ name: 'nothing' })).toBe('command presence');
    expect(await detail({ command: 'true', image: 'x' })).toBe("Unknown field(s): 'image'");
    expect(await detail({ command: 'true', memory_in_mb: 0 })).toBe(
      'Memory in mb must be an integer greater than 0',
    );
    expect(
      await detail({ command: 'true', droplet_guid: '6a0c9fd4-0000-4000-8000-000000000000' }),
    ).toBe('Droplet not found');
    expect(await detail({ command: 'x'.repeat(4097) })).toBe(
      'command must be shorter than 4097 characters',
    );
  });

  it('counts against quotas: memory of running tasks, and tasks per app', async () => {
    const quota = await as<Guided>('POST', '/v3/organization_quotas', {
      name: 'task-quota',
      apps: { total_memory_in_mb: 300, per_app_tasks: 5 },
    });
    await as('POST', `/v3/organization_quotas/${quota.guid}/relationships/organizations`, {
      data: [{ guid: org.guid }],
    });
    const first = await run({ command: 'sleep 600', name: 'holder', memory_in_mb: 256 });
    expect(first.status).toBe(202);
    const second = await call<CfErrors>('admin', 'POST', `/v3/apps/${app.guid}/tasks`, {
      command: 'true',
      memory_in_mb: 64,
    });
    expect(second.status).toBe(422);
    expect(second.body.errors[0]?.detail).toMatch(
      /^memory_in_mb exceeds organization memory quota\. /,
    );
    await as('PATCH', `/v3/organization_quotas/${quota.guid}`, {
      apps: { total_memory_in_mb: null, per_app_tasks: 1 },
    });
    const third = await call<CfErrors>('admin', 'POST', `/v3/apps/${app.guid}/tasks`, {
      command: 'true',
    });
    expect(third.status).toBe(422);
    expect(third.body.errors[0]?.detail).toBe('app_task_limit quota exceeded');
    await as('POST', `/v3/tasks/${first.body.guid}/actions/cancel`);
    await ended(first.body.guid);
    // Ended, it no longer counts.
    const fourth = await run({ command: 'true' });
    expect(fourth.status).toBe(202);
    await ended(fourth.body.guid);
  });
});
