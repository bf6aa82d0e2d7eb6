import { execFileSync } from 'node:child_process';
import { E2E } from './e2e-env';

export default function globalTeardown(): void {
  execFileSync('bash', [`${E2E.root}/scripts/down.sh`], {
    env: E2E.env(),
    stdio: 'inherit',
    timeout: 120_000,
  });
}
