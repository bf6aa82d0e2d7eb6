import { execFile } from 'node:child_process';
import { readFile, readdir, rename, unlink, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type ApplyOutcome = { applied: true } | { applied: false; refusal: string };

/**
 * Drives one HAProxy running in master-worker mode (`haproxy -W -S <master socket>`): a new
 * configuration, with the map files it reads, is written beside the live one, checked with
 * `haproxy -c`, moved into place and loaded with the master's `reload`. The reload is seamless
 * with `expose-fd listeners`: new workers take the listening sockets over, old ones finish their
 * requests, websockets and tunnels. A configuration that fails the check is refused and never
 * replaces the last good one.
 */
export class HaproxyController {
  constructor(
    private readonly dir: string,
    private readonly masterSocket: string,
  ) {}

  /**
   * Map files are written first under the names the configuration gives them; names must change
   * with content (e.g. a hash), so the live configuration's maps are never overwritten. Maps no
   * longer named by the live configuration are removed after a successful reload.
   */
  async apply(config: string, maps: { fileName: string; text: string }[]): Promise<ApplyOutcome> {
    for (const m of maps) await writeFile(join(this.dir, m.fileName), m.text);
    const candidate = join(this.dir, 'haproxy.cfg.new');
    await writeFile(candidate, config);
    try {
      await run('haproxy', ['-c', '-f', candidate]);
    } catch (err) {
      // haproxy -c names each problem with its file and line on stderr ([ALERT] ...).
      const e = err as { stderr?: string; stdout?: string; message: string };
      return { applied: false, refusal: (e.stderr || e.stdout || e.message).trim() };
    }
    await rename(candidate, join(this.dir, 'haproxy.cfg'));
    const answer = await this.masterCommand('reload');
    if (/fail/i.test(answer)) throw new Error(`HAProxy reload: ${answer.trim()}`);
    const keep = new Set(maps.map((m) => m.fileName));
    for (const name of await readdir(this.dir)) {
      if (name.endsWith('.map') && !keep.has(name))
        await unlink(join(this.dir, name)).catch(() => undefined);
    }
    return { applied: true };
  }

  /** The configuration HAProxy starts from and last loaded (null when there is none). */
  liveConfig(): Promise<string | null> {
    return readFile(join(this.dir, 'haproxy.cfg'), 'utf8').catch(() => null);
  }

  /** One command on the master CLI, e.g. `reload` or `show proc`; resolves with its answer. */
  masterCommand(command: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect({ path: this.masterSocket });
      let answer = '';
      socket.setTimeout(5000, () => socket.destroy(new Error('HAProxy master socket timed out')));
      socket.on('connect', () => socket.end(`${command}\n`));
      socket.on('data', (d: Buffer) => (answer += d.toString()));
      socket.on('error', reject);
      socket.on('close', () => resolve(answer));
    });
  }
}
