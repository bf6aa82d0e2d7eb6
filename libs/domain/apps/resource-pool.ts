import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, rm, stat, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import * as tar from 'tar';
import yauzl from 'yauzl';
import { BLOBSTORE, Blobstore } from '@wharf/platform/blobstore';
import { AppsErrorCode, appsError } from './apps.errors';
import { ArchiveFormat, checkEntryPath } from './archive-inspector';

/** A file the client already knows the platform may have (CF's resource match entry). */
export interface ResourceRef {
  path?: string;
  sha1: string;
  sizeBytes: number;
  /** Octal text, e.g. "644" or "0755". */
  mode?: string;
}

/**
 * CF's resource pool: files of uploaded packages kept by content (sha1) so that a re-push sends
 * only what changed (`POST /v3/resource_matches`, then an upload listing the matched files).
 * Small files are not worth a round trip: like Cloud Controller, only files from 64 KiB up to
 * 512 MB are pooled.
 */
export const RESOURCE_POOL_LIMITS = { minBytes: 64 * 1024, maxBytes: 512 * 1024 * 1024 } as const;

const resourceKey = (sha1: string): string => `resources/${sha1}`;
const SHA1 = /^[0-9a-f]{40}$/;

@Injectable()
export class ResourcePool {
  private readonly logger = new Logger('ResourcePool');

  constructor(@Inject(BLOBSTORE) private readonly blobs: Blobstore) {}

  /** The resources the pool holds (same sha1 and size). */
  async matches(resources: ResourceRef[]): Promise<ResourceRef[]> {
    const found: ResourceRef[] = [];
    for (const r of resources) {
      if (!SHA1.test(r.sha1) || !this.poolable(r.sizeBytes)) continue;
      if (await this.blobs.exists(resourceKey(r.sha1))) found.push(r);
    }
    return found;
  }

  /** Keeps the poolable files of an accepted package. Best effort: a failure only logs. */
  async remember(archive: string, format: ArchiveFormat): Promise<void> {
    const scratch = await mkdtemp(join(await this.blobs.scratchDir(), 'pool-'));
    try {
      const dir = join(scratch, 'x');
      await mkdir(dir);
      await extractArchive(archive, format, dir, (path, size) => this.poolable(size));
      await this.poolTree(dir, dir);
    } catch (err) {
      this.logger.warn(`resources of a package not pooled: ${(err as Error).message}`);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  /** Writes the listed pooled files under `dir` at their paths; an unknown one is an error. */
  async materialize(dir: string, resources: ResourceRef[]): Promise<void> {
    for (const r of resources) {
      if (!r.path || !SHA1.test(r.sha1)) {
        throw appsError(AppsErrorCode.InvalidArchive, 'Each resource needs a path and a sha1.');
      }
      const relative = checkEntryPath(r.path);
      const blob = await this.blobs.get(resourceKey(r.sha1));
      if (!blob) {
        throw appsError(
          AppsErrorCode.InvalidArchive,
          `The resource ${r.path} (${r.sha1}) is not in the resource pool any more; upload it.`,
        );
      }
      const target = join(dir, relative);
      await mkdir(dirname(target), { recursive: true });
      await pipeline(blob, createWriteStream(target));
      await chmod(target, r.mode ? parseInt(r.mode, 8) & 0o777 : 0o644);
    }
  }

  private poolable(size: number): boolean {
    return size >= RESOURCE_POOL_LIMITS.minBytes && size <= RESOURCE_POOL_LIMITS.maxBytes;
  }

  private async poolTree(root: string, dir: string): Promise<void> {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await this.poolTree(root, path);
      else if (entry.isFile() && this.poolable((await stat(path)).size)) {
        const sha1 = await sha1Of(path);
        if (!(await this.blobs.exists(resourceKey(sha1)))) {
          await this.blobs.putFile(resourceKey(sha1), path);
        }
      }
    }
  }
}

async function sha1Of(path: string): Promise<string> {
  const hash = createHash('sha1');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/**
 * Unpacks an archive the inspector has accepted (so every path stays inside `dir`). `want`
 * filters regular files (by path and size); directories and links always come along.
 */
export async function extractArchive(
  archive: string,
  format: ArchiveFormat,
  dir: string,
  want: (path: string, size: number) => boolean = () => true,
): Promise<void> {
  if (format === 'tar') {
    await tar.x({
      file: archive,
      cwd: dir,
      strict: true,
      preserveOwner: false,
      filter: (path, entry) =>
        !('type' in entry) || entry.type !== 'File' || want(path, entry.size ?? 0),
    });
    return;
  }
  await new Promise<void>((resolve, reject) => {
    yauzl.open(archive, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('unreadable zip'));
      zip.on('error', reject);
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        const name = checkEntryPath(entry.fileName);
        const target = join(dir, name);
        const mode = entry.externalFileAttributes >>> 16;
        const type = mode & 0o170000;
        if (entry.fileName.endsWith('/')) {
          void mkdir(target, { recursive: true }).then(() => zip.readEntry(), reject);
          return;
        }
        if (type === 0o120000) {
          // A link's target is its content; the inspector has checked it stays inside.
          zip.openReadStream(entry, (e, stream) => {
            if (e || !stream) return reject(e ?? new Error('unreadable link'));
            const chunks: Buffer[] = [];
            stream.on('data', (c: Buffer) => chunks.push(c));
            stream.on('error', reject);
            stream.on('end', () => {
              void mkdir(dirname(target), { recursive: true })
                .then(() => symlink(Buffer.concat(chunks).toString('utf8'), target))
                .then(() => zip.readEntry(), reject);
            });
          });
          return;
        }
        if (!want(name, entry.uncompressedSize)) {
          zip.readEntry();
          return;
        }
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error('unreadable entry'));
          void mkdir(dirname(target), { recursive: true })
            .then(() =>
              pipeline(stream, createWriteStream(target, { mode: mode & 0o777 || 0o644 })),
            )
            .then(() => zip.readEntry(), reject);
        });
      });
      zip.readEntry();
    });
  });
}
