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

/**
 * `call(method, path, body)` against the installation's API as the CLI's user: JSON in and out,
 * an error naming the request for any status ≥ 400. A kept-alive connection the API closed at
 * the same moment is tried again on a new one (twice at most).
 */
export function apiClient(api = platformEnv().WHARF_API_URL, token = cliToken()) {
  const call = async (method, path, body, attempt = 1) => {
    let res;
    try {
      res = await fetch(`${api}${path}`, {
        method,
        headers: { authorization: token, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body && JSON.stringify(body),
      });
    } catch (err) {
      if (attempt < 3) return call(method, path, body, attempt + 1);
      throw err;
    }
    const text = await res.text();
    if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  return call;
}

/** The number after `--name` on the command line, or `dflt`. */
export function numberArg(name, dflt) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
}
