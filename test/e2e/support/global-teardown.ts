import { execFileSync } from 'node:child_process';
import openHandlesReport from '../../support/open-handles-report';
import { E2E } from './e2e-env';

export default async function globalTeardown(): Promise<void> {
  execFileSync('bash', [`${E2E.root}/scripts/down.sh`], {
    env: E2E.env(),
    stdio: 'inherit',
    timeout: 120_000,
  });
  await openHandlesReport();
}
