import { rm } from 'node:fs/promises';
import type { CliConfigStore } from '../config/cli-config.store';
import { loggedInStore, runWharf } from '../testing/cli-harness';
import { cfError, FakeApiServer, page } from '../testing/fake-api.server';

const task = (id: number, name: string, state: string, extra: Record<string, unknown> = {}) => ({
  guid: `task-${id}`,
  sequence_id: id,
  name,
  state,
  result: { failure_reason: null },
  created_at: `2026-12-08T01:4${id}:00Z`,
  ...extra,
});

describe('wharf run-task, tasks and terminate-task against a fake CF API', () => {
  let server: FakeApiServer;
  let home: string;
  let store: CliConfigStore;

  beforeEach(async () => {
    server = new FakeApiServer()
      .withRoot('3.180.0')
      .on('GET', '/v3/apps', (_req, b) =>
        page(b, [{ guid: 'app-1', name: 'web', state: 'STOPPED' }], null),
      );
    const base = await server.start();
    ({ store, home } = await loggedInStore(base));
  });

  afterEach(async () => {
    await server.stop();
    await rm(home, { recursive: true, force: true });
  });

  const wharf = (args: string[]) => runWharf(store, args);

  it("submits a task and prints cf's lines, sending only what was given", async () => {
    server.on('POST', '/v3/apps/app-1/tasks', () => ({
      status: 202,
      body: task(4, 'migrate', 'PENDING'),
    }));
    const r = await wharf([
      'run-task',
      'web',
      '--command',
      'rake db:migrate',
      '--name',
      'migrate',
      '-m',
      '512M',
    ]);
    expect(r.code).toBe(0);
    expect(r.out.split('\n').map((l) => l.trimEnd())).toEqual([
      'Creating task for app web in org wharf / space dev as admin...',
      'Task has been submitted successfully for execution.',
      'OK',
      '',
      'task name:   migrate',
      'task id:     4',
      '',
    ]);
    const sent = server.requests.find((q) => q.method === 'POST');
    expect(JSON.parse(sent?.body ?? '{}')).toEqual({
      command: 'rake db:migrate',
      name: 'migrate',
      memory_in_mb: 512,
    });
  });

  it("takes the command from the --process type's template, waits and fails with the reason", async () => {
    let polls = 0;
    server
      .on('GET', '/v3/apps/app-1/processes', (req, b) =>
        page(
          b,
          req.query.get('types') === 'worker' ? [{ guid: 'proc-w', type: 'worker' }] : [],
          null,
        ),
      )
      .on('POST', '/v3/apps/app-1/tasks', () => ({
        status: 202,
        body: task(1, 'a1b2c3d4', 'PENDING'),
      }))
      .on('GET', '/v3/tasks/task-1', () => ({
        status: 200,
        body:
          ++polls < 2
            ? task(1, 'a1b2c3d4', 'RUNNING')
            : task(1, 'a1b2c3d4', 'FAILED', {
                result: { failure_reason: 'APP/TASK/a1b2c3d4: Exited with status 2' },
              }),
      }));
    const r = await wharf(['run-task', 'web', '--process', 'worker', '--wait']);
    expect(r.code).toBe(1);
    expect(JSON.parse(server.requests.find((q) => q.method === 'POST')?.body ?? '{}')).toEqual({
      template: { process: { guid: 'proc-w' } },
    });
    expect(r.out).toContain('Waiting for task 1 to complete...\n');
    expect(r.err).toContain('Task 1 (a1b2c3d4) failed: APP/TASK/a1b2c3d4: Exited with status 2');
  });

  it("lists tasks newest first in cf's columns, and says when there are none", async () => {
    server.on('GET', '/v3/apps/app-1/tasks', (req, b) =>
      page(
        b,
        req.query.get('order_by') === '-created_at'
          ? [task(2, 'second', 'RUNNING'), task(1, 'first', 'SUCCEEDED')]
          : [],
        null,
      ),
    );
    const r = await wharf(['tasks', 'web']);
    expect(r.code).toBe(0);
    expect(r.out.split('\n').map((l) => l.trimEnd())).toEqual([
      'Getting tasks for app web in org wharf / space dev as admin...',
      '',
      'id   name     state       start time                      command',
      '2    second   RUNNING     Tue, 08 Dec 2026 01:42:00 UTC',
      '1    first    SUCCEEDED   Tue, 08 Dec 2026 01:41:00 UTC',
      '',
    ]);
  });

  it('terminates a task by its id, and names an id that is not there', async () => {
    server
      .on('GET', '/v3/apps/app-1/tasks', (req, b) =>
        page(b, req.query.get('sequence_ids') === '3' ? [task(3, 'long', 'RUNNING')] : [], null),
      )
      .on('POST', '/v3/tasks/task-3/actions/cancel', () => ({
        status: 202,
        body: task(3, 'long', 'CANCELING'),
      }));
    const ok = await wharf(['terminate-task', 'web', '3']);
    expect(ok.code).toBe(0);
    expect(ok.out).toBe('Terminating task 3 of app web in org wharf / space dev as admin...\nOK\n');
    const missing = await wharf(['terminate-task', 'web', '9']);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('Task sequence ID 9 not found.');
    const bad = await wharf(['terminate-task', 'web', 'x']);
    expect(bad.err).toContain('Incorrect Usage: Value for TASK_ID must be integer');
  });

  it("passes on the API's refusal", async () => {
    server.on('POST', '/v3/apps/app-1/tasks', () =>
      cfError(422, 10008, 'CF-UnprocessableEntity', 'app_task_limit quota exceeded'),
    );
    const r = await wharf(['run-task', 'web', '-c', 'true']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('app_task_limit quota exceeded');
  });
});
