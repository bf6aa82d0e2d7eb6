import { constants } from 'node:fs';
import { lstat, mkdir, open, readlink, symlink, unlink } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { DomainError } from '@wharf/platform/errors';
import { PackagesErrorCode, packagesError } from './packages.errors';

/** Bounds on what one package may expand to (zip bombs, inode floods). */
export interface ArchiveLimits {
  maxEntries: number;
  maxUncompressedBytes: number;
  /** Expanded bytes per byte of archive, enforced once the expansion passes `ratioFloorBytes`. */
  maxCompressionRatio: number;
  ratioFloorBytes: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxEntries: 200_000,
  maxUncompressedBytes: 4 * 1024 * 1024 * 1024,
  maxCompressionRatio: 100,
  ratioFloorBytes: 100 * 1024 * 1024,
};

/** How many links a path may pass through before it counts as a loop (Linux's own bound). */
const MAX_LINK_HOPS = 40;
const MAX_LINK_TARGET_BYTES = 4096;
const WRITE_FLAGS =
  constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

export function archiveProblem(reason: string): DomainError {
  return packagesError(
    PackagesErrorCode.InvalidArchive,
    `The uploaded package is invalid: ${reason}.`,
  );
}

function invalid(reason: string): never {
  throw archiveProblem(reason);
}

/** The entry's path inside the app directory (normalised, no trailing slash), or an error naming it. */
export function checkEntryPath(name: string): string {
  if (name.includes('\0')) invalid(`entry ${JSON.stringify(name)} has a NUL byte in its name`);
  const unified = name.replace(/\\/g, '/');
  if (unified.startsWith('/') || /^[A-Za-z]:/.test(unified))
    invalid(`entry '${name}' has an absolute path`);
  const clean = posix.normalize(unified).replace(/\/+$/, '');
  if (clean === '..' || clean.startsWith('../'))
    invalid(`entry '${name}' points outside the app directory`);
  return clean === '' ? '.' : clean;
}

/** A link's target, read as text from the link's own directory, must stay inside. */
export function checkLinkTarget(name: string, target: string): void {
  if (target === '' || target.includes('\0'))
    invalid(`link '${name}' has an empty or NUL-holding target`);
  if (Buffer.byteLength(target) > MAX_LINK_TARGET_BYTES)
    invalid(`link '${name}' has a target longer than ${MAX_LINK_TARGET_BYTES} bytes`);
  if (target.startsWith('/') || target.includes('\\'))
    invalid(`link '${name}' points to the absolute path '${target}'`);
  const resolved = posix.normalize(posix.join(posix.dirname(checkEntryPath(name)), target));
  if (resolved === '..' || resolved.startsWith('../'))
    invalid(`link '${name}' points outside the app directory ('${target}')`);
}

type Kind = 'directory' | 'file' | 'link';

/**
 * Writes an archive's entries under `root`, which must be a new, empty directory nobody else
 * writes to. Safe by construction rather than by checking names alone:
 * - no link exists on disk while entries are written: links are only recorded, and made by
 *   `finish()` after every file and directory;
 * - every directory on the way to an entry is one this writer made itself (never a link, never a
 *   file), and files are opened with O_EXCL | O_NOFOLLOW, so a write cannot follow anything;
 * - after the links are made, each one is resolved on disk, through any chain of links, and must
 *   end inside `root`.
 * Entry count, expanded bytes (counted as written, not as declared) and the compression ratio are
 * bounded. The first problem throws a DomainError naming the entry; the caller removes `root`.
 */
export class SafeTreeWriter {
  private readonly kinds = new Map<string, Kind>([['.', 'directory']]);
  private readonly links: { path: string; target: string }[] = [];
  private entries = 0;
  private bytes = 0;
  private finished = false;

  constructor(
    private readonly root: string,
    private readonly limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
    /** Size of the archive being written out, for the compression ratio; 0 for none. */
    private readonly archiveBytes = 0,
  ) {}

  get summary(): { entries: number; uncompressedBytes: number } {
    return { entries: this.entries, uncompressedBytes: this.bytes };
  }

  async directory(name: string): Promise<void> {
    const path = this.admit(name);
    if (path === '.') return;
    const kind = this.kinds.get(path);
    if (kind === 'directory') return;
    if (kind) invalid(`entry '${name}' is a directory and also a ${kind}`);
    await this.ensureDirectory(path, name);
  }

  async file(name: string, mode: number, content: AsyncIterable<Buffer>): Promise<void> {
    const path = this.admit(name);
    if (path === '.') invalid(`entry '${name}' is a file at the top of the app directory`);
    if (this.kinds.has(path)) invalid(`entry '${name}' appears twice`);
    await this.ensureDirectory(posix.dirname(path), name);
    this.kinds.set(path, 'file');
    const fh = await open(join(this.root, path), WRITE_FLAGS, 0o600);
    try {
      for await (const chunk of content) {
        this.count(chunk.length, name);
        await fh.write(chunk);
      }
      // Permission bits only: no setuid, setgid or sticky bits from an upload.
      await fh.chmod(mode & 0o777 || 0o644);
    } finally {
      await fh.close();
    }
  }

  link(name: string, target: string): void {
    const path = this.admit(name);
    if (path === '.') invalid(`entry '${name}' is a link at the top of the app directory`);
    if (this.kinds.has(path)) invalid(`entry '${name}' appears twice`);
    checkLinkTarget(name, target);
    this.kinds.set(path, 'link');
    this.links.push({ path, target });
  }

  /** Makes the recorded links and checks where each one really leads. */
  async finish(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    for (const { path } of this.links) await this.ensureDirectory(posix.dirname(path), path);
    const made: string[] = [];
    try {
      for (const { path, target } of this.links) {
        await symlink(target, join(this.root, path));
        made.push(path);
      }
      for (const { path, target } of this.links) await this.resolveInside(path, target);
    } catch (err) {
      // A refused tree keeps no link, so not even a careless reader of it can be led outside.
      for (const path of made) await unlink(join(this.root, path)).catch(() => undefined);
      throw err;
    }
  }

  private admit(name: string): string {
    if (this.finished) throw new Error('SafeTreeWriter: entries after finish()');
    const path = checkEntryPath(name);
    this.entries += 1;
    if (this.entries > this.limits.maxEntries)
      invalid(`it has more than ${this.limits.maxEntries} entries (at '${name}')`);
    return path;
  }

  private count(n: number, name: string): void {
    this.bytes += n;
    const { maxUncompressedBytes, maxCompressionRatio, ratioFloorBytes } = this.limits;
    if (this.bytes > maxUncompressedBytes)
      invalid(`it expands to more than ${mb(maxUncompressedBytes)} (at entry '${name}')`);
    if (
      this.archiveBytes > 0 &&
      this.bytes > ratioFloorBytes &&
      this.bytes > this.archiveBytes * maxCompressionRatio
    ) {
      invalid(
        `it expands to more than ${maxCompressionRatio} times its ${mb(this.archiveBytes)} (at entry '${name}'): a zip bomb`,
      );
    }
  }

  /** Every directory from the root down to `path`, made by this writer; none may be a file or a link. */
  private async ensureDirectory(path: string, entry: string): Promise<void> {
    if (path === '.' || this.kinds.get(path) === 'directory') return;
    await this.ensureDirectory(posix.dirname(path), entry);
    const kind = this.kinds.get(path);
    if (kind === 'file') invalid(`entry '${entry}' is inside '${path}', which is a file`);
    if (kind === 'link') invalid(`entry '${entry}' is inside '${path}', which is a link`);
    const full = join(this.root, path);
    try {
      await mkdir(full, { mode: 0o755 });
    } catch (err) {
      // Nothing but this writer makes entries under root; still, never trust what is there.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || !(await lstat(full)).isDirectory())
        throw err;
    }
    this.kinds.set(path, 'directory');
  }

  /** Follows `path` on disk as the kernel would, link by link; it must never leave the root. */
  private async resolveInside(path: string, target: string): Promise<void> {
    const escape = (): never =>
      invalid(`link '${path}' leads outside the app directory through other links ('${target}')`);
    const todo = path.split('/').reverse();
    const at: string[] = [];
    let hops = 0;
    let exists = true;
    while (todo.length > 0) {
      const part = todo.pop() as string;
      if (part === '' || part === '.') continue;
      if (part === '..') {
        if (at.length === 0) escape();
        at.pop();
        continue;
      }
      at.push(part);
      if (!exists) continue;
      const full = join(this.root, ...at);
      const st = await lstat(full).catch(() => null);
      if (!st) {
        // Nothing there (a dangling link): the rest is resolved as text.
        exists = false;
        continue;
      }
      if (!st.isSymbolicLink()) continue;
      if (++hops > MAX_LINK_HOPS) invalid(`link '${path}' goes round a loop of links`);
      const next = await readlink(full);
      if (next.startsWith('/')) escape();
      at.pop();
      todo.push(...next.split('/').reverse());
    }
  }
}

function mb(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round(bytes / 1024 / 1024)} MB`;
  return bytes >= 10 * 1024 ? `${Math.round(bytes / 1024)} KB` : `${bytes} bytes`;
}
