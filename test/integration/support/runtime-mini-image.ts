import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';

/** Host programs the contract suite runs in containers (dash as `sh`, coreutils for the rest). */
const PROGRAMS = ['sh', 'sleep', 'cat', 'echo', 'env', 'id', 'ls', 'mkdir', 'touch', 'true'];

/** The uid/gid of the unprivileged user in the mini image, as in the stack images. */
export const MINI_VCAP_UID = 2000;

function hostProgram(name: string): string {
  for (const dir of ['/usr/bin', '/bin']) {
    const path = join(dir, name);
    if (existsSync(path)) return realpathSync(path);
  }
  throw new Error(`${name} is not installed on this host; the mini test image needs it`);
}

/** Absolute paths of the shared libraries (and the loader) a dynamic executable needs. */
function sharedLibraries(program: string): string[] {
  let out: string;
  try {
    out = execFileSync('ldd', [program], { encoding: 'utf8' });
  } catch {
    return []; // "not a dynamic executable"
  }
  const libs: string[] = [];
  for (const line of out.split('\n')) {
    const m = /(?:=>\s*)?(\/\S+)\s+\(0x[0-9a-f]+\)/.exec(line);
    if (m?.[1]) libs.push(m[1]);
  }
  return libs;
}

/**
 * A tarball of a root filesystem of a few megabytes, made of the host's own binaries and the
 * libraries `ldd` names for them: enough to run shells in containers without a registry, a
 * stack image or busybox. Libraries keep the paths the binaries' loader looks them up under.
 */
export class MiniRootfs {
  readonly dir = mkdtempSync(join(tmpdir(), 'wharf-mini-'));
  readonly tarPath = join(this.dir, 'rootfs.tar');

  constructor() {
    const root = join(this.dir, 'root');
    for (const d of ['bin', 'etc', 'home/vcap', 'tmp'])
      mkdirSync(join(root, d), { recursive: true });
    chmodSync(join(root, 'tmp'), 0o1777);
    const libs = new Set<string>();
    for (const name of PROGRAMS) {
      const program = hostProgram(name);
      copyFileSync(program, join(root, 'bin', name));
      chmodSync(join(root, 'bin', name), 0o755);
      for (const lib of sharedLibraries(program)) libs.add(lib);
    }
    for (const lib of libs) {
      mkdirSync(join(root, dirname(lib)), { recursive: true });
      copyFileSync(lib, join(root, lib)); // follows symlinks: the file itself lands there
    }
    writeFileSync(
      join(root, 'etc/passwd'),
      `root:x:0:0:root:/root:/bin/sh\nvcap:x:${MINI_VCAP_UID}:${MINI_VCAP_UID}::/home/vcap:/bin/sh\n`,
    );
    writeFileSync(join(root, 'etc/group'), `root:x:0:\nvcap:x:${MINI_VCAP_UID}:\n`);
    execFileSync('tar', ['--numeric-owner', '-C', root, '-cf', this.tarPath, '.']);
  }

  stream(): Readable {
    return createReadStream(this.tarPath);
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A tar stream of a directory made of `files` (name → content), e.g. a build context. */
export function tarOfFiles(files: Record<string, string>): Readable {
  const dir = mkdtempSync(join(tmpdir(), 'wharf-tar-'));
  const tree = join(dir, 'tree');
  mkdirSync(tree);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(tree, name)), { recursive: true });
    writeFileSync(join(tree, name), content);
  }
  const tar = join(dir, 'files.tar');
  execFileSync('tar', ['--numeric-owner', '-C', tree, '-cf', tar, '.']);
  const stream = createReadStream(tar);
  stream.on('close', () => rmSync(dir, { recursive: true, force: true }));
  return stream;
}

/** The content of `name` inside a tar archive (as `getArchive` returns one). */
export function fileFromTar(archive: Buffer, name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'wharf-untar-'));
  try {
    writeFileSync(join(dir, 'archive.tar'), archive);
    return execFileSync('tar', ['-xOf', join(dir, 'archive.tar'), name], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
