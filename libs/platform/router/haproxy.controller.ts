import { execFile } from 'node:child_process';
import { readFile, readdir, rename, unlink, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** How long a reloading master may take to answer on its socket again. */
const MASTER_WAIT_MS = 15_000;

/** The pids under `# workers` in the master's `show proc` (not the old workers still finishing). */
export function currentWorkers(showProc: string): string[] {
  const pids: string[] = [];
  let inWorkers = false;
  for (const line of showProc.split('\n')) {
    if (line.startsWith('#')) {
      inWorkers = line.trim() === '# workers';
      continue;
    }
    const pid = /^(\d+)\s+worker\b/.exec(line)?.[1];
    if (inWorkers && pid) pids.push(pid);
  }
  return pids;
}

export type ApplyOutcome = { applied: true } | { applied: false; refusal: string };

/**
 * Drives one HAProxy running in master-worker mode (`haproxy -W -S <master socket>`): a new
 * configuration, with the map files it reads, is written beside the live one, checked with
 * `haproxy -c`, moved into place and loaded with the master's `reload`. The reload is seamless
 * with `expose-fd listeners`: new workers take the listening sockets over, old ones finish their
 * requests, websockets and tunnels. A configuration that fails the check is refused and never
 * replaces the last good one.
 *
 * HAProxy 2.6's `reload` answers before anything is loaded: the master re-executes itself, reads
 * the configuration and its maps, and only then listens on its socket again (tens of ms, more with
 * many backends). `apply` returns once the master answers again with a new worker, so a
 * following apply never writes files a load is reading, and every file is replaced by a rename:
 * a map rewritten in place while being read once gave a worker an empty map, and 404 for every
 * route until the next reload.
 */
export class HaproxyController {
  constructor(
    private readonly dir: string,
    private readonly masterSocket: string,
  ) {}

  /**
   * Map files are written first under the names the configuration gives them (names that change
   * with content, e.g. a hash). Maps no longer named by the live configuration are removed once
   * the new workers run: they are no longer read.
   */
  async apply(config: string, maps: { fileName: string; text: string }[]): Promise<ApplyOutcome> {
    for (const m of maps) await this.replace(m.fileName, m.text);
    const candidate = join(this.dir, 'haproxy.cfg.new');
    await writeFile(candidate, config);
    try {
      await run('haproxy', ['-c', '-f', candidate]);
    } catch (err) {
      // haproxy -c names each problem with its file and line on stderr ([ALERT] ...).
      const e = err as { stderr?: string; stdout?: string; message: string };
      return { applied: false, refusal: (e.stderr || e.stdout || e.message).trim() };
    }
    const before = await this.workers();
    await rename(candidate, join(this.dir, 'haproxy.cfg'));
    const answer = await this.masterCommand('reload');
    if (/fail/i.test(answer)) throw new Error(`HAProxy reload: ${answer.trim()}`);
    await this.newWorker(before);
    const keep = new Set(maps.map((m) => m.fileName));
    for (const name of await readdir(this.dir)) {
      if (name.endsWith('.map') && !keep.has(name))
        await unlink(join(this.dir, name)).catch(() => undefined);
    }
    return { applied: true };
  }

  /** Writes a file HAProxy may be reading: beside it, then renamed over it. */
  private async replace(fileName: string, text: string): Promise<void> {
    const staging = join(this.dir, `${fileName}.new`);
    await writeFile(staging, text);
    await rename(staging, join(this.dir, fileName));
  }

  /** The pids of the master's current workers, once it answers: it does not while it reloads. */
  private async workers(): Promise<string[]> {
    return this.poll(async () => currentWorkers(await this.masterCommand('show proc')));
  }

  /** Resolves once the master runs a worker not among `before`: the reload has loaded. */
  private async newWorker(before: string[]): Promise<void> {
    const fresh = await this.poll(async () => {
      const now = currentWorkers(await this.masterCommand('show proc'));
      if (now.every((pid) => before.includes(pid))) throw new Error('no new worker yet');
      return now;
    }).catch(() => null);
    if (!fresh)
      throw new Error(`HAProxy reload: no new worker within ${MASTER_WAIT_MS} ms, not loaded`);
  }

  private async poll<T>(attempt: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + MASTER_WAIT_MS;
    for (;;) {
      try {
        return await attempt();
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 10));
      }
    }
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
