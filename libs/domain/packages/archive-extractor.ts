import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import * as tarStream from 'tar-stream';
import yauzl from 'yauzl';
import { DomainError } from '@wharf/platform/errors';
import {
  archiveProblem,
  ArchiveLimits,
  DEFAULT_ARCHIVE_LIMITS,
  SafeTreeWriter,
} from './safe-tree.writer';

export type ArchiveFormat = 'zip' | 'tar';

export interface ArchiveSummary {
  format: ArchiveFormat;
  entries: number;
  uncompressedBytes: number;
}

/**
 * The one way an uploaded archive (zip, tar or gzipped tar) is unpacked on the platform's side:
 * its entries are read here and written by a SafeTreeWriter into `writer`'s root, which refuses
 * anything that could reach outside it (see there). Regular files, directories and symbolic
 * links only: hard links, devices and FIFOs are refused by name. The caller calls
 * `writer.finish()` once it has added anything else (pooled resources) to the same tree.
 */
export async function extractArchive(path: string, writer: SafeTreeWriter): Promise<ArchiveFormat> {
  const format = await detectFormat(path);
  try {
    if (format === 'zip') await extractZip(path, writer);
    else await extractTar(path, writer);
  } catch (err) {
    if (err instanceof DomainError) throw err;
    const what = format === 'zip' ? 'a zip' : 'a tar';
    throw archiveProblem(`it could not be read as ${what} archive (${(err as Error).message})`);
  }
  return format;
}

/** A writer for `root` bounded by `limits`, the ratio measured against the archive's size. */
export async function writerFor(
  root: string,
  archive: string | undefined,
  limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
): Promise<SafeTreeWriter> {
  return new SafeTreeWriter(root, limits, archive ? (await stat(archive)).size : 0);
}

/** Unpacks a whole archive into `root` (a new empty directory) and makes its links. */
export async function unpackArchive(
  path: string,
  root: string,
  limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
): Promise<ArchiveSummary> {
  const writer = await writerFor(root, path, limits);
  const format = await extractArchive(path, writer);
  await writer.finish();
  return { format, ...writer.summary };
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
  throw archiveProblem('it is neither a zip nor a tar archive');
}

const TAR_FILES = new Set(['file', 'contiguous-file']);

async function extractTar(path: string, writer: SafeTreeWriter): Promise<void> {
  const gzipped = await isGzip(path);
  const source = createReadStream(path);
  const extract = tarStream.extract();
  const input: Readable = gzipped ? source.pipe(createGunzip()) : source;
  input.on('error', (err) => extract.destroy(err));
  input.pipe(extract);
  try {
    for await (const entry of extract) {
      const { name, type, mode, linkname } = entry.header;
      if (TAR_FILES.has(type ?? 'file')) {
        // A streamx Readable: async-iterable like Node's own.
        await writer.file(name, mode ?? 0o644, entry as unknown as AsyncIterable<Buffer>);
        continue;
      }
      entry.resume();
      if (type === 'directory') await writer.directory(name);
      else if (type === 'symlink') writer.link(name, linkname ?? '');
      else if (type === 'link')
        throw archiveProblem(`entry '${name}' is a hard link, which packages may not hold`);
      else
        throw archiveProblem(
          `entry '${name}' is a ${type ?? 'special file'}, not a file, directory or link`,
        );
    }
  } finally {
    source.destroy();
    extract.destroy();
  }
}

async function isGzip(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    await fh.read(head, 0, 2, 0);
    return head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;

/** yauzl checks names itself; say what it found the way the rest of the extractor does. */
function zipProblem(err: Error): Error {
  const relative = /^invalid relative path: (.*)$/.exec(err.message);
  if (relative)
    return archiveProblem(`entry '${relative[1] ?? ''}' points outside the app directory`);
  const absolute = /^absolute path: (.*)$/.exec(err.message);
  if (absolute) return archiveProblem(`entry '${absolute[1] ?? ''}' has an absolute path`);
  return err;
}

async function extractZip(path: string, writer: SafeTreeWriter): Promise<void> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(
      path,
      // Names are checked by the writer, so yauzl's own check is off: one rule, one message.
      {
        lazyEntries: true,
        autoClose: false,
        strictFileNames: false,
        validateEntrySizes: true,
        decodeStrings: true,
      },
      (err, z) => (err || !z ? reject(err ?? new Error('unreadable zip')) : resolve(z)),
    ),
  );
  const openStream = (entry: yauzl.Entry) =>
    new Promise<Readable>((resolve, reject) =>
      zip.openReadStream(entry, (err, s) =>
        err || !s ? reject(err ?? new Error('unreadable entry')) : resolve(s),
      ),
    );
  try {
    for (;;) {
      const entry = await new Promise<yauzl.Entry | null>((resolve, reject) => {
        const onEntry = (e: yauzl.Entry) => done(() => resolve(e));
        const onEnd = () => done(() => resolve(null));
        const onError = (e: Error) => done(() => reject(zipProblem(e)));
        const done = (then: () => void) => {
          zip.off('entry', onEntry).off('end', onEnd).off('error', onError);
          then();
        };
        zip.on('entry', onEntry).on('end', onEnd).on('error', onError);
        zip.readEntry();
      });
      if (!entry) return;
      const name = entry.fileName;
      const mode = entry.externalFileAttributes >>> 16;
      const type = mode & S_IFMT;
      if (name.endsWith('/') || type === S_IFDIR) {
        await writer.directory(name);
      } else if (type === S_IFLNK) {
        // A link's target is its content.
        if (entry.uncompressedSize > 4096)
          throw archiveProblem(`link '${name}' has a target longer than 4096 bytes`);
        const chunks: Buffer[] = [];
        for await (const c of await openStream(entry)) chunks.push(c as Buffer);
        writer.link(name, Buffer.concat(chunks).toString('utf8'));
      } else if (type === S_IFREG || type === 0) {
        // Zips from Windows carry no Unix mode: an ordinary file.
        await writer.file(name, type === 0 ? 0o644 : mode, await openStream(entry));
      } else {
        throw archiveProblem(
          `entry '${name}' is a special file (mode ${type.toString(8)}), not a file, directory or link`,
        );
      }
    }
  } finally {
    zip.close();
  }
}
