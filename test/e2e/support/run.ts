import { spawn } from 'node:child_process';
import { E2E } from './e2e-env';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command with the e2e installation's environment and collects its output; `onStdout`
 * sees the output so far each time more arrives (to act at a moment of a command's progress).
 */
export function run(
  cmd: string,
  args: string[],
  options: {
    input?: string;
    timeoutMs?: number;
    env?: NodeJS.ProcessEnv;
    onStdout?: (soFar: string) => void;
  } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...E2E.env(), ...options.env }, cwd: E2E.root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      options.onStdout?.(stdout);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

export const wharf = (...args: string[]): Promise<RunResult> => run(`${E2E.root}/bin/wharf`, args);

/** Fails with the command's whole output, so a broken step explains itself. */
export function expectSuccess(result: RunResult, what: string): void {
  if (result.code !== 0) {
    throw new Error(
      `${what} exited with ${result.code}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`,
    );
  }
}
