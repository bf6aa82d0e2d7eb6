import { open } from 'node:fs/promises';
import { posix } from 'node:path';
import * as tar from 'tar';
import yauzl from 'yauzl';
import { DomainError } from '@wharf/platform/errors';
import { AppsErrorCode, appsError } from './apps.errors';

export type ArchiveFormat = 'zip' | 'tar';

export interface ArchiveSummary {
  format: ArchiveFormat;
  entries: number;
  uncompressedBytes: number;
}

export interface ArchiveLimits {
  maxEntries: number;
  maxUncompressedBytes: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxEntries: 200_000,
  maxUncompressedBytes: 4 * 1024 * 1024 * 1024,
};

/**
 * Checks an uploaded package before it is kept: a zip or a (gzipped) tar whose every entry stays
 * inside the app directory — no absolute paths, no `..`, no links pointing outside, no device
 * files — and whose expanded size is bounded (zip bombs). Reads the archive; extracts nothing.
 */
export async function inspectArchive(
  path: string,
  limits = DEFAULT_ARCHIVE_LIMITS,
): Promise<ArchiveSummary> {
  const format = await detectFormat(path);
  const summary: ArchiveSummary = { format, entries: 0, uncompressedBytes: 0 };
  const count = (size: number) => {
    summary.entries += 1;
    summary.uncompressedBytes += size;
    if (summary.entries > limits.maxEntries)
      invalid(`it has more than ${limits.maxEntries} entries`);
    if (summary.uncompressedBytes > limits.maxUncompressedBytes) {
      invalid(
        `it expands to more than ${Math.round(limits.maxUncompressedBytes / 1024 / 1024)} MB`,
      );
    }
  };
  if (format === 'zip') await inspectZip(path, count);
  else await inspectTar(path, count);
  return summary;
}

async function detectFormat(path: string): Promise<ArchiveFormat> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(262);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    if (bytesRead >= 4 && head[0] === 0x50 && head[1] === 0x4b) return 'zip';
    if (bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'tar';
    if (bytesRead >= 262 && head.toString('latin1', 257, 262) === 'ustar') return 'tar';
  } finally {
    await fh.close();
  }
  return invalid('it is neither a zip nor a tar archive');
}

/** The entry's path inside the app directory, or an error naming it. */
export function checkEntryPath(name: string): string {
  if (name.includes('\0')) invalid(`entry ${JSON.stringify(name)} has a NUL byte in its name`);
  const unified = name.replace(/\\/g, '/');
  if (unified.startsWith('/') || /^[A-Za-z]:/.test(unified))
    invalid(`entry '${name}' has an absolute path`);
  const clean = posix.normalize(unified);
  if (clean === '..' || clean.startsWith('../'))
    invalid(`entry '${name}' points outside the app directory`);
  return clean;
}

/** A link is allowed only when its target, resolved from the link's own directory, stays inside. */
export function checkLinkTarget(name: string, target: string): void {
  if (target.startsWith('/')) invalid(`link '${name}' points to the absolute path '${target}'`);
  const resolved = posix.normalize(posix.join(posix.dirname(checkEntryPath(name)), target));
  if (resolved === '..' || resolved.startsWith('../')) {
    invalid(`link '${name}' points outside the app directory ('${target}')`);
  }
}

function problem(reason: string): DomainError {
  return appsError(AppsErrorCode.InvalidArchive, `The uploaded package is invalid: ${reason}.`);
}

function invalid(reason: string): never {
  throw problem(reason);
}

const TAR_FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory']);

async function inspectTar(path: string, count: (size: number) => void): Promise<void> {
  // Held in an object: the entry callback sets it, which flow analysis cannot see.
  const seen: { problem: DomainError | null } = { problem: null };
  const check = (entry: tar.ReadEntry): void => {
    checkEntryPath(entry.path);
    if (entry.type === 'SymbolicLink') checkLinkTarget(entry.path, entry.linkpath ?? '');
    else if (entry.type === 'Link') checkEntryPath(entry.linkpath ?? '');
    else if (!TAR_FILE_TYPES.has(entry.type)) {
      invalid(`entry '${entry.path}' is a ${entry.type}, not a file, directory or link`);
    }
    count(entry.size ?? 0);
  };
  try {
    await tar.t({
      file: path,
      strict: true,
      onReadEntry: (entry) => {
        if (seen.problem) return;
        try {
          check(entry);
        } catch (err) {
          seen.problem = err instanceof DomainError ? err : problem((err as Error).message);
        }
      },
    });
  } catch (err) {
    if (!seen.problem) invalid(`it could not be read as a tar archive (${(err as Error).message})`);
  }
  if (seen.problem) throw seen.problem;
}

/** yauzl checks names itself; say what it found the way the rest of the inspector does. */
function zipProblem(err: Error): DomainError {
  const relative = /^invalid relative path: (.*)$/.exec(err.message);
  if (relative) return problem(`entry '${relative[1] ?? ''}' points outside the app directory`);
  const absolute = /^absolute path: (.*)$/.exec(err.message);
  if (absolute) return problem(`entry '${absolute[1] ?? ''}' has an absolute path`);
  return problem(err.message);
}

function inspectZip(path: string, count: (size: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    yauzl.open(
      path,
      { lazyEntries: true, strictFileNames: false, validateEntrySizes: true },
      (err, zip) => {
        if (err || !zip) {
          reject(
            appsError(
              AppsErrorCode.InvalidArchive,
              `The uploaded package is invalid: it could not be read as a zip archive (${err?.message ?? 'unknown error'}).`,
            ),
          );
          return;
        }
        const fail = (e: unknown) => {
          zip.close();
          reject(e instanceof DomainError ? e : zipProblem(e as Error));
        };
        zip.on('error', fail);
        zip.on('end', () => resolve());
        zip.on('entry', (entry: yauzl.Entry) => {
          try {
            checkEntryPath(entry.fileName);
            count(entry.uncompressedSize);
          } catch (e) {
            fail(e);
            return;
          }
          const mode = (entry.externalFileAttributes >>> 16) & 0o170000;
          if (mode !== 0o120000) {
            zip.readEntry();
            return;
          }
          // A symlink's target is its content.
          zip.openReadStream(entry, (e, stream) => {
            if (e || !stream) return fail(e ?? new Error('unreadable link'));
            const chunks: Buffer[] = [];
            stream.on('data', (c: Buffer) => chunks.push(c));
            stream.on('error', fail);
            stream.on('end', () => {
              try {
                checkLinkTarget(entry.fileName, Buffer.concat(chunks).toString('utf8'));
                zip.readEntry();
              } catch (le) {
                fail(le);
              }
            });
          });
        });
        zip.readEntry();
      },
    );
  });
}
