import type { Readable } from 'node:stream';

export interface StoredBlob {
  key: string;
  sizeBytes: number;
  sha256: string;
}

/**
 * Package bits, droplets and build caches. A directory by default; the port keeps an
 * S3-compatible store possible later. Keys are relative paths such as `packages/<guid>`.
 */
export interface Blobstore {
  /** Moves a local file into the store (atomically replacing the key) and returns its digest. */
  putFile(key: string, path: string): Promise<StoredBlob>;
  get(key: string): Promise<Readable | null>;
  exists(key: string): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** A directory on the same filesystem as the store, for uploads in progress. */
  scratchDir(): Promise<string>;
}

export const BLOBSTORE = Symbol('BLOBSTORE');
