import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, posix, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar';

/** What cf never uploads, whatever .cfignore says. */
const ALWAYS_IGNORED = [
  '.cfignore',
  '_darcs',
  '.DS_Store',
  '.git',
  '.gitignore',
  '.hg',
  '.svn',
  'manifest.yml',
];

/** Files from this size up are offered to the platform's resource pool before uploading. */
export const POOLED_FROM_BYTES = 64 * 1024;

export interface AppFile {
  /** Relative, with forward slashes. */
  path: string;
  sizeBytes: number;
  /** Permission bits as octal text, e.g. "644". */
  mode: string;
  /** Only for files of POOLED_FROM_BYTES and more. */
  sha1?: string;
}

/** One .cfignore line as a matcher of relative paths (gitignore's common forms). */
function matcher(pattern: string): (path: string) => boolean {
  let p = pattern.trim();
  const dirOnly = p.endsWith('/');
  if (dirOnly) p = p.slice(0, -1);
  const anchored = p.startsWith('/') || p.includes('/');
  if (p.startsWith('/')) p = p.slice(1);
  const body = p
    .split('')
    .map((c) => (c === '*' ? '[^/]*' : c === '?' ? '[^/]' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('')
    .replace(/\[\^\/\]\*\[\^\/\]\*/g, '.*');
  const re = new RegExp(anchored ? `^${body}(/.*)?$` : `(^|/)${body}(/.*)?$`);
  return (path) => re.test(path);
}

/**
 * The files of an app directory that a push sends: everything but version-control data, the
 * manifest and what .cfignore lists (cf's rules). Links are kept as links. Sockets, FIFOs and
 * devices are not files an app can be built from and are left out: a FIFO would also stall the
 * archive on a read that no writer ever answers.
 */
export async function listAppFiles(dir: string): Promise<AppFile[]> {
  const ignoreText = await readFile(join(dir, '.cfignore'), 'utf8').catch(() => '');
  const patterns = [
    ...ALWAYS_IGNORED,
    ...ignoreText.split(/\r?\n/).filter((l) => l.trim() && !l.trim().startsWith('#')),
  ].map(matcher);
  const ignored = (path: string) => patterns.some((m) => m(path));
  const files: AppFile[] = [];
  const walk = async (abs: string): Promise<void> => {
    for (const entry of await readdir(abs, { withFileTypes: true })) {
      const full = join(abs, entry.name);
      const path = relative(dir, full).split(sep).join(posix.sep);
      if (ignored(path)) continue;
      if (entry.isDirectory()) {
        await walk(full);
        continue;
      }
      if (!entry.isFile() && !entry.isSymbolicLink()) continue;
      const st = await lstat(full);
      const file: AppFile = {
        path,
        sizeBytes: st.size,
        mode: (st.mode & 0o777).toString(8),
      };
      if (entry.isFile() && st.size >= POOLED_FROM_BYTES) file.sha1 = await sha1Of(full);
      files.push(file);
    }
  };
  await walk(dir);
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

async function sha1Of(path: string): Promise<string> {
  const hash = createHash('sha1');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/** A gzipped tar of `paths` (relative to `dir`) written to `out`. */
export async function writeArchive(dir: string, paths: string[], out: string): Promise<void> {
  await tar.c({ gzip: true, cwd: dir, file: out, portable: true, noDirRecurse: true }, paths);
}
