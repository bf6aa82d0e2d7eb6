import { CliContext } from '../cli.context';
import { runCli } from '../cli.program';
import type { CliConfigStore } from '../config/cli-config.store';
import type { Prompter } from '../ui/terminal.prompter';
import { type OutputStream, TerminalUi } from '../ui/terminal.ui';

/** Test support only: what a command writes to one stream, as a non-terminal. */
export class Capture implements OutputStream {
  text = '';
  isTTY = false;
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

/** Answers prompts from a script, in order ('y' confirms), and records what was asked. */
export class ScriptedPrompter implements Prompter {
  asked: string[] = [];
  constructor(
    readonly interactive: boolean,
    private readonly answers: string[] = [],
  ) {}
  private next(message: string): Promise<string> {
    this.asked.push(message);
    return Promise.resolve(this.answers.shift() ?? '');
  }
  input(message: string): Promise<string> {
    return this.next(message);
  }
  password(message: string): Promise<string> {
    return this.next(message);
  }
  async confirm(message: string): Promise<boolean> {
    return (await this.next(message)) === 'y';
  }
}

/** Runs `wharf ARGS` in this process with `store`'s login; its exit code and both outputs. */
export async function runWharf(
  store: CliConfigStore,
  args: string[],
  prompter: Prompter = new ScriptedPrompter(false),
): Promise<{ code: number; out: string; err: string }> {
  const out = new Capture();
  const err = new Capture();
  const ctx = new CliContext({
    store,
    ui: new TerminalUi(out, err),
    prompter,
    version: '0.1.0',
    jobPollIntervalMs: 1,
  });
  const code = await runCli(ctx, args);
  return { code, out: out.text, err: err.text };
}
