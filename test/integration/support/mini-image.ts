import { execFileSync } from 'node:child_process';
import {
  mkdtempSync,
  mkdirSync,
  rmSync,
  writeFileSync,
  copyFileSync,
  chmodSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { createReadStream } from 'node:fs';

const APPLETS = [
  'sh',
  'sleep',
  'cat',
  'echo',
  'id',
  'env',
  'ls',
  'touch',
  'trap',
  'true',
  'false',
  'mkdir',
  'nc',
  'stat',
];

/**
 * A root filesystem of a few megabytes made from the host's static busybox (Debian's
 * busybox-static, installed by the test setup): enough to run shells in containers without a
 * registry or a stack image.
 */
export function miniRootfsTar(): { stream: () => Readable; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'wharf-mini-'));
  const root = join(dir, 'root');
  for (const d of ['bin', 'etc', 'tmp', 'home/vcap']) mkdirSync(join(root, d), { recursive: true });
  copyFileSync('/bin/busybox', join(root, 'bin/busybox'));
  chmodSync(join(root, 'bin/busybox'), 0o755);
  for (const a of APPLETS) symlinkSync('busybox', join(root, 'bin', a));
  writeFileSync(
    join(root, 'etc/passwd'),
    'root:x:0:0:root:/root:/bin/sh\nvcap:x:2000:2000::/home/vcap:/bin/sh\n',
  );
  writeFileSync(join(root, 'etc/group'), 'root:x:0:\nvcap:x:2000:\n');
  const tar = join(dir, 'rootfs.tar');
  execFileSync('tar', ['-C', root, '-cf', tar, '.']);
  return {
    stream: () => createReadStream(tar),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
