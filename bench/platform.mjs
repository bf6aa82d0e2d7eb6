// What the benches share: the running platform's configuration (as `npm run up` wrote it) and
// a token of the logged-in wharf CLI. An installation with its own WHARF_STATE_DIR (and
// WHARF_HOME for its CLI login) is benched by running the bench with the same variables.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');

/** The installation's state directory, as scripts/up.sh chooses it. */
export const STATE_DIR = process.env.WHARF_STATE_DIR ?? join(ROOT, '.state');

/** `<state>/wharf.env` as an object. */
export function platformEnv() {
  return Object.fromEntries(
    readFileSync(join(STATE_DIR, 'wharf.env'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

/** The CLI's current access token (`wharf oauth-token`), for calling the API directly. */
export function cliToken() {
  return execFileSync(join(ROOT, 'bin/wharf'), ['oauth-token'], { encoding: 'utf8' }).trim();
}
