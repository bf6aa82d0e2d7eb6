import { Readable } from 'node:stream';
import { create as createTar } from 'tar';

/** A tar of `paths` (relative to `cwd`) as a Node stream; owners are dropped (root on extract). */
export function tarOf(cwd: string, paths: string[]): Readable {
  return Readable.from(createTar({ cwd, portable: true }, paths), { objectMode: false });
}
