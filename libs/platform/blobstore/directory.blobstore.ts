import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Blobstore, StoredBlob } from './blobstore.port';

/** The default blobstore: files under one directory (`<state dir>/blobs`). */
export class DirectoryBlobstore implements Blobstore {
  constructor(private readonly root: string) {}

  async putFile(key: string, path: string): Promise<StoredBlob> {
    const target = this.pathOf(key);
    const sha256 = await digest(path);
    const { size } = await stat(path);
    await mkdir(dirname(target), { recursive: true });
    await rename(path, target);
    return { key, sizeBytes: size, sha256 };
  }

  async get(key: string): Promise<Readable | null> {
    return (await this.exists(key)) ? createReadStream(this.pathOf(key)) : null;
  }

  async exists(key: string): Promise<boolean> {
    return stat(this.pathOf(key)).then(
      (s) => s.isFile(),
      () => false,
    );
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async scratchDir(): Promise<string> {
    const dir = join(this.root, '.scratch');
    await mkdir(dir, { recursive: true });
    return dir;
  }

  private pathOf(key: string): string {
    const clean = normalize(key);
    if (clean.startsWith('..') || clean.startsWith('/') || clean.startsWith('.scratch')) {
      throw new Error(`invalid blob key ${key}`);
    }
    return join(this.root, clean);
  }
}

async function digest(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}
