import { execFileSync } from 'node:child_process';
import { E2E } from './e2e-env';

/**
 * Brings the e2e installation up exactly as a user would (`npm run up`, scripts/up.sh), from
 * nothing: a run never inherits apps, rows or secrets of an earlier run or of another checkout on
 * the same machine (the PostgreSQL cluster and the Docker engine are machine-wide).
 */
export default function globalSetup(): void {
  const run = (script: string, args: string[]): void => {
    execFileSync('bash', [`${E2E.root}/scripts/${script}`, ...args], {
      env: E2E.env(),
      stdio: 'inherit',
      timeout: 15 * 60_000,
    });
  };
  run('down.sh', ['--purge', '--yes']);
  run('up.sh', []);
}
