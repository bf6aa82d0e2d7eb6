import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';
import type { LogBatchWriter } from '@wharf/platform/logstream';
import { ContainerRuntime, RuntimeError } from '@wharf/platform/runtime';
import type { DeclaredRuntime } from './staging-result';
import { tarOf } from './tar-stream';

/**
 * Where shared runtimes live, in staging containers (read-only) and in the droplet images built
 * on them: `<dir>/<name>/<version>`, e.g. /home/vcap/runtimes/nodejs/26.1.0.
 */
export const RUNTIMES_DIR = '/home/vcap/runtimes';
/** An unused runtime image is kept this long after it was made, for the next app on it. */
export const UNUSED_RUNTIME_KEPT_MS = 24 * 3600_000;
/** Label of a droplet image: the runtime image it was built on. */
export const RUNTIME_IMAGE_LABEL = 'wharf.runtime_image';
const INSTALL_TIMEOUT_MS = 10 * 60_000;

const runtimeDir = (r: DeclaredRuntime): string => `${r.name}/${r.version}`;

/**
 * Runtimes that buildpacks declare (a Node.js version, deps/<index>/runtime.yml) as layers shared
 * by every app of the installation on the same stack and version, per cell:
 *
 * - a volume `wharf-<installation>-runtimes-<stack>` holding each installed runtime, mounted
 *   read-only into staging containers at RUNTIMES_DIR, so a buildpack finds the version there
 *   and neither downloads it nor copies it into the droplet or the build cache;
 * - an image `wharf/runtime:<installation>-<stack>-<name>-<version>` (the stack's run image plus
 *   those directories at the same path) that droplet images are built on.
 *
 * The runtime's files come from the buildpack's own installer (`bin/install-runtime VERSION
 * DIR`) run by the platform in a container of its own, never from a staging container: app code
 * runs there and must not be able to change what other apps run.
 */
@Injectable()
export class RuntimeLayers {
  private readonly logger = new Logger('RuntimeLayers');

  constructor(@Inject(WHARF_CONFIG) private readonly config: WharfConfig) {}

  /** The volume of installed runtimes, as staging mounts it (read-only); created when missing. */
  async stagingVolume(
    runtime: ContainerRuntime,
    stack: string,
  ): Promise<{ name: string; target: string; readOnly: true }> {
    const name = this.volumeName(stack);
    await runtime.ensureVolume({ name, labels: this.labels({ 'wharf.stack': stack }) });
    return { name, target: RUNTIMES_DIR, readOnly: true };
  }

  /**
   * The image a droplet needing `runtimes` is built on: the stack's run image when it needs none,
   * else the runtime image, made on first use (installing into the volume what is missing). A
   * runtime that cannot be installed leaves the droplet on the run image with the runtime in its
   * own tarball, as the buildpack left it when the volume lacked it.
   */
  async baseImage(
    runtime: ContainerRuntime,
    stack: string,
    runtimes: DeclaredRuntime[],
    log: LogBatchWriter,
  ): Promise<string> {
    const runImage = `wharf/stack-run:${stack}`;
    if (runtimes.length === 0) return runImage;
    const ref = this.imageRef(stack, runtimes);
    if (await runtime.imageExists(ref)) return ref;
    for (const r of runtimes) {
      if (!(await this.install(runtime, stack, r, log))) return runImage;
    }
    await this.buildImage(runtime, stack, runtimes, ref);
    return ref;
  }

  /**
   * Removes the runtime images of the cell that no droplet image is built on any more and that
   * are older than UNUSED_RUNTIME_KEPT_MS, and their runtimes from the volume (unless a kept
   * image holds them too). A staging that still needs one installs it again.
   */
  async prune(runtime: ContainerRuntime, now = Date.now()): Promise<void> {
    const images = await runtime.listImages({
      labels: { 'wharf.role': 'runtime', 'wharf.installation': this.config.installation },
    });
    const kept = new Set<string>();
    const gone: { stack: string; dirs: string[] }[] = [];
    for (const image of images) {
      const key = image.labels['wharf.runtime_key'] ?? '';
      const dirs = (image.labels['wharf.runtimes'] ?? '').split(',').filter(Boolean);
      const used = (await runtime.listImages({ labels: { [RUNTIME_IMAGE_LABEL]: key } })).length;
      if (used > 0 || now - Date.parse(image.createdAt) < UNUSED_RUNTIME_KEPT_MS) {
        dirs.forEach((d) => kept.add(`${image.labels['wharf.stack'] ?? ''}:${d}`));
        continue;
      }
      try {
        await runtime.removeImage(image.id);
      } catch (err) {
        // A droplet image made from it since the listing: it stays.
        if (RuntimeError.is(err, 'conflict')) continue;
        throw err;
      }
      gone.push({ stack: image.labels['wharf.stack'] ?? '', dirs });
    }
    for (const { stack, dirs } of gone) {
      const remove = dirs.filter((d) => !kept.has(`${stack}:${d}`));
      if (!stack || remove.length === 0) continue;
      await this.inVolume(runtime, stack, [
        'rm',
        '-rf',
        '--',
        ...remove.map((d) => `/runtimes/${d}`),
      ]);
    }
  }

  private volumeName(stack: string): string {
    return `wharf-${this.config.installation}-runtimes-${stack}`;
  }

  /** `<installation>-<stack>-<name>-<version>[_<name>-<version>…]`: a valid tag (≤ 128). */
  private key(stack: string, runtimes: DeclaredRuntime[]): string {
    const parts = runtimes.map((r) => `${r.name}-${r.version}`).sort();
    return `${this.config.installation}-${stack}-${parts.join('_')}`.slice(0, 128);
  }

  private imageRef(stack: string, runtimes: DeclaredRuntime[]): string {
    return `wharf/runtime:${this.key(stack, runtimes)}`;
  }

  private labels(extra: Record<string, string>): Record<string, string> {
    return { 'wharf.managed': 'true', 'wharf.installation': this.config.installation, ...extra };
  }

  /** Runs the buildpack's installer into the volume (it exits at once when the runtime is there). */
  private async install(
    runtime: ContainerRuntime,
    stack: string,
    r: DeclaredRuntime,
    log: LogBatchWriter,
  ): Promise<boolean> {
    const installer = join(this.config.buildpacksDir, r.buildpack, 'bin', 'install-runtime');
    if (
      !(await access(installer, constants.X_OK).then(
        () => true,
        () => false,
      ))
    )
      return false;
    const volume = await this.stagingVolume(runtime, stack);
    log.out(`Preparing the shared runtime layer ${r.name} ${r.version} for this stack`);
    // Root of the container, which the engine maps to an unprivileged uid: the runtime is then
    // read-only to vcap. No capabilities: root owns the volume, so it needs none to write there.
    const id = await runtime.createContainer({
      image: `wharf/stack-build:${stack}`,
      cmd: [
        'bash',
        `/tmp/${basename(this.config.buildpacksDir)}/${r.buildpack}/bin/install-runtime`,
        r.version,
        `${RUNTIMES_DIR}/${runtimeDir(r)}`,
      ],
      user: '0:0',
      env: { HOME: '/tmp' },
      labels: this.labels({ 'wharf.role': 'runtime-install', 'wharf.stack': stack }),
      memoryBytes: 1024 * 1024 * 1024,
      memorySwapBytes: 1024 * 1024 * 1024,
      pidsLimit: 1024,
      capDrop: ['ALL'],
      securityOpt: ['no-new-privileges'],
      volumes: [{ name: volume.name, target: RUNTIMES_DIR }],
      ...(this.config.stagingNetwork ? { network: this.config.stagingNetwork } : {}),
    });
    const timer = setTimeout(
      () => void runtime.killContainer(id).catch(() => undefined),
      INSTALL_TIMEOUT_MS,
    );
    try {
      await runtime.putArchive(
        id,
        '/tmp',
        tarOf(dirname(this.config.buildpacksDir), [basename(this.config.buildpacksDir)]),
      );
      await runtime.startContainer(id);
      const code = await runtime.waitContainer(id);
      if (code === 0) return true;
      const lines: string[] = [];
      for await (const l of runtime.containerLogs(id, { follow: false, tail: 3 }))
        lines.push(l.line);
      log.err(
        `Could not prepare the shared runtime layer ${r.name} ${r.version} (exit ${code}): ${lines.join(' ')}; the droplet carries the runtime itself`,
      );
      return false;
    } finally {
      clearTimeout(timer);
      await runtime.removeContainer(id, { force: true }).catch((err: Error) => {
        this.logger.warn(`runtime installer ${id} not removed: ${err.message}`);
      });
    }
  }

  /** The run image plus the runtimes copied from the volume to the same path, committed. */
  private async buildImage(
    runtime: ContainerRuntime,
    stack: string,
    runtimes: DeclaredRuntime[],
    ref: string,
  ): Promise<void> {
    const dirs = runtimes.map(runtimeDir);
    const script = `set -e; for d in "$@"; do mkdir -p "${RUNTIMES_DIR}/\${d%/*}"; rm -rf "${RUNTIMES_DIR}/$d"; cp -a "/mnt/runtimes/$d" "${RUNTIMES_DIR}/$d"; done`;
    const id = await runtime.createContainer({
      image: `wharf/stack-run:${stack}`,
      cmd: ['bash', '-c', script, 'copy', ...dirs],
      user: '0:0',
      env: {},
      labels: this.labels({ 'wharf.role': 'runtime-image', 'wharf.stack': stack }),
      network: 'none',
      securityOpt: ['no-new-privileges'],
      volumes: [{ name: this.volumeName(stack), target: '/mnt/runtimes', readOnly: true }],
    });
    try {
      await runtime.startContainer(id);
      const code = await runtime.waitContainer(id);
      if (code !== 0) throw new Error(`copying ${dirs.join(', ')} into ${ref} exited with ${code}`);
      const [repo, tag] = ref.split(':') as [string, string];
      await runtime.commitContainer(id, {
        repo,
        tag,
        labels: this.labels({
          'wharf.role': 'runtime',
          'wharf.stack': stack,
          'wharf.runtime_key': tag,
          'wharf.runtimes': dirs.join(','),
        }),
        changes: ['USER vcap', 'WORKDIR /home/vcap', 'CMD ["true"]'],
      });
    } finally {
      await runtime.removeContainer(id, { force: true }).catch((err: Error) => {
        this.logger.warn(`runtime image builder ${id} not removed: ${err.message}`);
      });
    }
  }

  /** A root shell over the volume at /runtimes, for pruning it. */
  private async inVolume(runtime: ContainerRuntime, stack: string, cmd: string[]): Promise<void> {
    const id = await runtime.createContainer({
      image: `wharf/stack-run:${stack}`,
      cmd,
      user: '0:0',
      env: {},
      labels: this.labels({ 'wharf.role': 'runtime-prune', 'wharf.stack': stack }),
      network: 'none',
      capDrop: ['ALL'],
      securityOpt: ['no-new-privileges'],
      volumes: [{ name: this.volumeName(stack), target: '/runtimes' }],
    });
    try {
      await runtime.startContainer(id);
      await runtime.waitContainer(id);
    } finally {
      await runtime.removeContainer(id, { force: true }).catch(() => undefined);
    }
  }
}
