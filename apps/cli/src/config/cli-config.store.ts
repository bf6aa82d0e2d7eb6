import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CliError } from '../errors/cli.error';
import { isRecord } from '../http/json';

export interface TargetRef {
  guid: string;
  name: string;
}

/** What `~/.wharf/config.json` holds: the endpoint, the session and the targeted org/space. */
export interface CliConfig {
  /** API endpoint, e.g. `https://api.wharf.example`, no trailing slash. */
  target?: string;
  accessToken?: string;
  refreshToken?: string;
  /** ISO 8601 instant after which the access token must be refreshed before use. */
  tokenExpiresAt?: string;
  user?: string;
  org?: TargetRef;
  space?: TargetRef;
}

/**
 * Reads and writes the CLI's config under `<home>/.wharf/config.json` (home is `WHARF_HOME` or the
 * user's home directory, like cf's CF_HOME). The file holds tokens, so it is written 0600 and
 * replaced atomically: a crash mid-write never leaves half a file.
 */
export class CliConfigStore {
  readonly dir: string;
  readonly path: string;

  constructor(home: string) {
    this.dir = join(home, '.wharf');
    this.path = join(this.dir, 'config.json');
  }

  async load(): Promise<CliConfig> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if (isRecord(err) && err.code === 'ENOENT') return {};
      throw new CliError(`Could not read ${this.path}: ${(err as Error).message}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new CliError(`${this.path} is not valid JSON; fix or delete it, then log in again.`);
    }
    if (!isRecord(parsed)) {
      throw new CliError(
        `${this.path} must hold a JSON object; fix or delete it, then log in again.`,
      );
    }
    return sanitize(parsed);
  }

  async save(config: CliConfig): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const tmp = `${this.path}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(sanitize(config), null, 2)}\n`, { mode: 0o600 });
    // writeFile's mode applies only when it creates the file; make sure of it either way.
    await chmod(tmp, 0o600);
    await rename(tmp, this.path);
  }

  /** Read-modify-write, so a command never overwrites tokens refreshed during its own run. */
  async update(change: (config: CliConfig) => CliConfig): Promise<CliConfig> {
    const next = change(await this.load());
    await this.save(next);
    return next;
  }
}

/** Keeps only the known fields with the right types, so a hand-edited file cannot crash a command. */
function sanitize(raw: CliConfig | Record<string, unknown>): CliConfig {
  const r = raw as Record<string, unknown>;
  const config: CliConfig = {};
  const str = (key: string): string | undefined => {
    const v = r[key];
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  const ref = (key: string): TargetRef | undefined => {
    const v = r[key];
    return isRecord(v) && typeof v.guid === 'string' && typeof v.name === 'string'
      ? { guid: v.guid, name: v.name }
      : undefined;
  };
  const target = str('target');
  const accessToken = str('accessToken');
  const refreshToken = str('refreshToken');
  const tokenExpiresAt = str('tokenExpiresAt');
  const user = str('user');
  const org = ref('org');
  const space = ref('space');
  if (target !== undefined) config.target = target;
  if (accessToken !== undefined) config.accessToken = accessToken;
  if (refreshToken !== undefined) config.refreshToken = refreshToken;
  if (tokenExpiresAt !== undefined) config.tokenExpiresAt = tokenExpiresAt;
  if (user !== undefined) config.user = user;
  if (org !== undefined) config.org = org;
  if (org !== undefined && space !== undefined) config.space = space;
  return config;
}
