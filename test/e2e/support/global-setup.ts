import { execFileSync } from 'node:child_process';
import { E2E } from './e2e-env';

/** Brings the e2e installation up exactly as a user would: `npm run up` (scripts/up.sh). */
export default function globalSetup(): void {
  execFileSync('bash', [`${E2E.root}/scripts/up.sh`], {
    env: E2E.env(),
    stdio: 'inherit',
    timeout: 15 * 60_000,
  });
}
