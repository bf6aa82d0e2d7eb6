import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createContainerRuntime } from '@wharf/platform/runtime';
import { createTestTls, TestTlsFiles } from '../../support/test-tls';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no port from the kernel');
  return address.port;
}

/**
 * A Docker engine of the test's own, listening on a unix socket and on a loopback TCP port with
 * `--tlsverify`, made from the host's dockerd (Debian's docker.io) with its own data root, exec
 * root, pid file and certificates, all under one temporary directory that `stop` removes.
 * Like Wharf's own engine it remaps user namespaces and sets no-new-privileges; with
 * `--bridge=none --iptables=false --ip6tables=false --ip-forward=false` it leaves the host's
 * networking alone (no bridge, no firewall rule, no sysctl), so its containers have no network.
 */
export class TlsDockerEngine {
  private constructor(
    readonly root: string,
    /** `unix://…`: no TLS, for what the test does outside the runtime under test. */
    readonly socket: string,
    /** `tcp://127.0.0.1:<port>`, mutual TLS only. */
    readonly tcp: string,
    readonly certs: TestTlsFiles,
    private readonly child: ChildProcess,
    private readonly log: string,
  ) {}

  static async start(): Promise<TlsDockerEngine> {
    // Short: containerd's sockets live under the exec root, and unix socket paths are limited.
    const root = mkdtempSync('/tmp/wharf-tls-engine-');
    // The remapped root must traverse it to reach its data root.
    chmodSync(root, 0o711);
    const certsDir = join(root, 'certs');
    mkdirSync(certsDir);
    const certs = createTestTls(certsDir);
    const port = await freeLoopbackPort();
    const socket = `unix://${join(root, 'docker.sock')}`;
    const tcp = `tcp://127.0.0.1:${port}`;
    const log = join(root, 'dockerd.log');
    // Its own (empty) configuration: never the machine's /etc/docker/daemon.json.
    writeFileSync(join(root, 'daemon.json'), '{}\n');
    const out = openSync(log, 'a');
    const child = spawn(
      'dockerd',
      [
        `--config-file=${join(root, 'daemon.json')}`,
        `--data-root=${join(root, 'data')}`,
        `--exec-root=${join(root, 'exec')}`,
        `--pidfile=${join(root, 'docker.pid')}`,
        `--host=${socket}`,
        `--host=${tcp}`,
        '--tlsverify',
        `--tlscacert=${certs.caCert}`,
        `--tlscert=${certs.serverCert}`,
        `--tlskey=${certs.serverKey}`,
        '--bridge=none',
        '--iptables=false',
        '--ip6tables=false',
        '--ip-forward=false',
        '--userns-remap=default',
        '--no-new-privileges',
      ],
      // Its own process group, so that stop() can end what it started and nothing else.
      { detached: true, stdio: ['ignore', out, out] },
    );
    closeSync(out);
    const engine = new TlsDockerEngine(root, socket, tcp, certs, child, log);
    try {
      await engine.waitUntilUp();
    } catch (err) {
      await engine.stop();
      throw err;
    }
    return engine;
  }

  /** The last lines dockerd wrote, for a failure message. */
  logTail(lines = 30): string {
    try {
      return readFileSync(this.log, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  private async waitUntilUp(): Promise<void> {
    const local = createContainerRuntime(this.socket);
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (this.child.exitCode !== null || this.child.signalCode !== null)
        throw new Error(`dockerd exited while starting:\n${this.logTail()}`);
      try {
        await local.ping();
        return;
      } catch (err) {
        if (Date.now() > deadline)
          throw new Error(
            `dockerd did not answer within 60 s (${(err as Error).message}):\n${this.logTail()}`,
          );
      }
      await sleep(250);
    }
  }

  /**
   * Ends dockerd (SIGTERM: it stops its containers and its containerd), then whatever of its
   * process group and its container shims is left, unmounts what it left mounted and removes
   * its directory.
   */
  async stop(): Promise<void> {
    const pid = this.child.pid;
    if (pid !== undefined && this.child.exitCode === null && this.child.signalCode === null) {
      let timer: NodeJS.Timeout | undefined;
      const ended = await new Promise<boolean>((resolve) => {
        this.child.once('exit', () => resolve(true));
        timer = setTimeout(() => resolve(false), 30_000);
        process.kill(pid, 'SIGTERM');
      });
      clearTimeout(timer);
      if (!ended) killQuietly(-pid);
    }
    // Shims (and their containers) outlive an engine that was killed; they name its sockets.
    for (const other of processesMentioning(this.root)) killQuietly(other);
    for (const mount of mountsUnder(this.root)) {
      try {
        execFileSync('umount', ['-l', mount], { stdio: 'ignore' });
      } catch {
        // Already gone with its parent.
      }
    }
    rmSync(this.root, { recursive: true, force: true });
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function processesMentioning(path: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(path)) found.push(Number(entry));
    } catch {
      // It ended meanwhile.
    }
  }
  return found;
}

/** Mount points below `path`, deepest first (mountinfo's fifth field). */
function mountsUnder(path: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4] ?? '')
    .filter((mount) => mount.startsWith(`${path}/`))
    .sort((a, b) => b.length - a.length);
}
