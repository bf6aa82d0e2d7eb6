import type { Command } from 'commander';
import type { ProcessResource, TaskResource } from '@wharf/contracts';
import type { CliContext } from '../cli.context';
import { CliError } from '../errors/cli.error';
import { requireApp, spaceTarget, SpaceTarget } from '../push/space-target';
import { megabytes } from './apps.command';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** cf's start time: RFC 1123 in UTC, e.g. "Tue, 08 Dec 2026 01:40:00 UTC". */
const startTime = (iso: string) => new Date(iso).toUTCString().replace(/GMT$/, 'UTC');

interface RunTaskOptions {
  command?: string;
  name?: string;
  memory?: string;
  disk?: string;
  process?: string;
  wait?: boolean;
}

/** run-task, tasks and terminate-task: cf's commands for one-off tasks. */
export class TasksCommand {
  constructor(private readonly ctx: CliContext) {}

  register(program: Command): void {
    program
      .command('run-task')
      .alias('rt')
      .description("Run a one-off task on an app's droplet")
      .argument('<app>', 'App name')
      .option('-c, --command <command>', "The command to run (default: the --process type's)")
      .option('--name <name>', 'A name for the task')
      .option('-m <memory>', 'Memory limit (e.g. 256M, 1024M, 1G)')
      .option('-k <disk>', 'Disk limit (e.g. 256M, 1024M, 1G)')
      .option('--process <type>', 'Process type whose command, memory and disk are the defaults')
      .option('-w, --wait', 'Wait for the task to complete before exiting')
      .action(
        (
          name: string,
          o: {
            command?: string;
            name?: string;
            m?: string;
            k?: string;
            process?: string;
            wait?: boolean;
          },
        ) =>
          this.runTask(name, {
            command: o.command,
            name: o.name,
            memory: o.m,
            disk: o.k,
            process: o.process,
            wait: o.wait,
          }),
      );
    program
      .command('tasks')
      .description('List tasks of an app')
      .argument('<app>', 'App name')
      .action((name: string) => this.tasks(name));
    program
      .command('terminate-task')
      .description('Terminate a running task of an app')
      .argument('<app>', 'App name')
      .argument('<task-id>', 'The task id (the number `wharf tasks` lists)')
      .action((name: string, id: string) => this.terminate(name, id));
  }

  async runTask(name: string, o: RunTaskOptions): Promise<void> {
    const memory = megabytes('-m', o.memory);
    const disk = megabytes('-k', o.disk);
    const t = await spaceTarget(this.ctx);
    const { ui } = this.ctx;
    const app = await requireApp(t, name);
    let template: string | undefined;
    if (o.command === undefined || o.process !== undefined) {
      const type = o.process ?? 'task';
      const [process] = await t.client.listAll<ProcessResource>(`/v3/apps/${app.guid}/processes`, {
        types: type,
      });
      if (!process) {
        throw new CliError(
          o.process === undefined
            ? `Incorrect Usage: the --command flag is required, or a process type 'task' to take it from.`
            : `Process ${type} not found.`,
        );
      }
      template = process.guid;
    }
    ui.say(`Creating task for app ${name} ${t.where}...`);
    const task = await t.client.post<TaskResource>(`/v3/apps/${app.guid}/tasks`, {
      ...(o.command !== undefined ? { command: o.command } : {}),
      ...(o.name !== undefined ? { name: o.name } : {}),
      ...(memory !== undefined ? { memory_in_mb: memory } : {}),
      ...(disk !== undefined ? { disk_in_mb: disk } : {}),
      ...(template ? { template: { process: { guid: template } } } : {}),
    });
    ui.say('Task has been submitted successfully for execution.');
    ui.ok();
    ui.say();
    ui.keyValues([
      ['task name', task.name],
      ['task id', String(task.sequence_id)],
    ]);
    if (!o.wait) return;
    ui.say();
    ui.say(`Waiting for task ${task.sequence_id} to complete...`);
    const ended = await this.waitForEnd(t, task.guid);
    ui.say();
    if (ended.state === 'SUCCEEDED') {
      ui.say(`Task ${ended.sequence_id} (${ended.name}) succeeded.`);
      return;
    }
    throw new CliError(
      `Task ${ended.sequence_id} (${ended.name}) failed: ${ended.result.failure_reason ?? 'no reason given'}`,
    );
  }

  async tasks(name: string): Promise<void> {
    const t = await spaceTarget(this.ctx);
    const { ui } = this.ctx;
    ui.say(`Getting tasks for app ${name} ${t.where}...`);
    const app = await requireApp(t, name);
    const tasks = await t.client.listAll<TaskResource>(`/v3/apps/${app.guid}/tasks`, {
      order_by: '-created_at',
    });
    ui.say();
    if (tasks.length === 0) {
      ui.say('No tasks found for application.');
      return;
    }
    ui.table(
      ['id', 'name', 'state', 'start time', 'command'],
      tasks.map((task) => [
        String(task.sequence_id),
        task.name,
        task.state,
        startTime(task.created_at),
        task.command ?? '',
      ]),
    );
  }

  async terminate(name: string, id: string): Promise<void> {
    if (!/^\d+$/.test(id)) throw new CliError('Incorrect Usage: Value for TASK_ID must be integer');
    const t = await spaceTarget(this.ctx);
    const { ui } = this.ctx;
    ui.say(`Terminating task ${id} of app ${name} ${t.where}...`);
    const app = await requireApp(t, name);
    const [task] = await t.client.listAll<TaskResource>(`/v3/apps/${app.guid}/tasks`, {
      sequence_ids: id,
    });
    if (!task) throw new CliError(`Task sequence ID ${id} not found.`);
    await t.client.post<TaskResource>(`/v3/tasks/${task.guid}/actions/cancel`, {});
    ui.ok();
  }

  private async waitForEnd(t: SpaceTarget, guid: string): Promise<TaskResource> {
    for (let delay = 250; ; delay = Math.min(delay * 2, 2000)) {
      const task = await t.client.get<TaskResource>(`/v3/tasks/${guid}`);
      if (task.state === 'SUCCEEDED' || task.state === 'FAILED') return task;
      await sleep(delay);
    }
  }
}
