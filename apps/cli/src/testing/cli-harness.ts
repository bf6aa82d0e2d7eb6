import { CliContext } from '../cli.context';
import { runCli } from '../cli.program';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliConfigStore } from '../config/cli-config.store';
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

/**
 * A CLI home in a fresh temporary directory, logged in as admin to `target` with org wharf and
 * space dev targeted (the caller removes `home`).
 */
export async function loggedInStore(
  target: string,
): Promise<{ store: CliConfigStore; home: string }> {
  const home = await mkdtemp(join(tmpdir(), 'wharf-home-'));
  const store = new CliConfigStore(home);
  await store.save({
    target,
    accessToken: 'token',
    refreshToken: 'refresh',
    tokenExpiresAt: '2999-01-01T00:00:00.000Z',
    user: 'admin',
    org: { guid: 'org-1', name: 'wharf' },
    space: { guid: 'space-1', name: 'dev' },
  });
  return { store, home };
}
