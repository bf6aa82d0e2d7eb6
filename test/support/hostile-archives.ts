import { crc32, deflateRawSync, gzipSync } from 'node:zlib';
import * as tarStream from 'tar-stream';

/**
 * Archives written byte by byte, so they can hold what archiving tools refuse to write: `..` and
 * absolute names, links through links, hard links, devices, duplicates.
 */
export type HostileEntry =
  | { type: 'file'; name: string; content?: Buffer | string; mode?: number }
  | { type: 'directory'; name: string }
  | { type: 'symlink'; name: string; target: string }
  | { type: 'hardlink'; name: string; target: string }
  | { type: 'fifo' | 'character-device'; name: string };

/** A zip with stored (uncompressed) entries and Unix modes, as Info-ZIP writes them. */
export function hostileZip(entries: HostileEntry[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(
      e.type === 'directory' && !e.name.endsWith('/') ? `${e.name}/` : e.name,
    );
    let data = Buffer.alloc(0);
    let mode = 0o100644;
    if (e.type === 'file') {
      data = Buffer.from(e.content ?? 'x');
      mode = 0o100000 | (e.mode ?? 0o644);
    } else if (e.type === 'directory') mode = 0o040755;
    else if (e.type === 'symlink' || e.type === 'hardlink') {
      // Zip has no hard links: a "hard link" here is a link-typed entry, which must be refused too.
      data = Buffer.from(e.target);
      mode = 0o120777;
    } else mode = e.type === 'fifo' ? 0o010644 : 0o020644;
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(10, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE((3 << 8) | 30, 4); // made by Unix
    cd.writeUInt16LE(10, 6);
    cd.writeUInt16LE(0x0800, 8);
    cd.writeUInt32LE(crc, 16);
    cd.writeUInt32LE(data.length, 20);
    cd.writeUInt32LE(data.length, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(((mode << 16) | (e.type === 'directory' ? 0x10 : 0)) >>> 0, 38);
    cd.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    central.push(cd, name);
    offset += local.length + name.length + data.length;
  }
  const cdBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cdBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cdBytes, end]);
}

/** A tar (ustar with pax headers where names are long), optionally gzipped. */
export async function hostileTar(entries: HostileEntry[], gzip = false): Promise<Buffer> {
  const pack = tarStream.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => chunks.push(c as Buffer));
  const ended = new Promise<void>((resolve, reject) => {
    pack.on('end', () => resolve());
    pack.on('error', reject);
  });
  for (const e of entries) {
    if (e.type === 'file') {
      pack.entry({ name: e.name, mode: e.mode ?? 0o644 }, Buffer.from(e.content ?? 'x'));
    } else if (e.type === 'directory') pack.entry({ name: e.name, type: 'directory', mode: 0o755 });
    else if (e.type === 'symlink')
      pack.entry({ name: e.name, type: 'symlink', linkname: e.target });
    else if (e.type === 'hardlink') pack.entry({ name: e.name, type: 'link', linkname: e.target });
    else pack.entry({ name: e.name, type: e.type, mode: 0o644 });
  }
  pack.finalize();
  await ended;
  const tar = Buffer.concat(chunks);
  return gzip ? gzipSync(tar) : tar;
}

/** The link chain of the report: d/up → .., d/up/e0 → .., …, then a file under the last link. */
export function linkChain(
  depth: number,
  payload: Buffer | string = 'x'.repeat(70_000),
): HostileEntry[] {
  const entries: HostileEntry[] = [{ type: 'directory', name: 'd' }];
  let at = 'd/up';
  entries.push({ type: 'symlink', name: at, target: '..' });
  for (let i = 0; i < depth; i++) {
    at = `${at}/e${i}`;
    entries.push({ type: 'symlink', name: at, target: '..' });
  }
  entries.push({ type: 'file', name: `${at}/escaped.bin`, content: payload });
  return entries;
}

/** A zip whose one entry declares a small size but inflates to `bytes` of zeros (deflated). */
export function zipBomb(bytes: number): Buffer {
  // Deflated zeros shrink about 1000:1; the sizes are honest, the ratio is the bomb.
  const data = Buffer.alloc(bytes);
  const deflated = deflateRawSync(data, { level: 9 });
  const name = Buffer.from('zeros.bin');
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8); // deflate
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(deflated.length, 18);
  local.writeUInt32LE(bytes, 22);
  local.writeUInt16LE(name.length, 26);
  const cd = Buffer.alloc(46);
  cd.writeUInt32LE(0x02014b50, 0);
  cd.writeUInt16LE((3 << 8) | 30, 4);
  cd.writeUInt16LE(20, 6);
  cd.writeUInt16LE(8, 10);
  cd.writeUInt32LE(crc, 16);
  cd.writeUInt32LE(deflated.length, 20);
  cd.writeUInt32LE(bytes, 24);
  cd.writeUInt16LE(name.length, 28);
  cd.writeUInt32LE((0o100644 << 16) >>> 0, 38);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(cd.length + name.length, 12);
  end.writeUInt32LE(local.length + name.length + deflated.length, 16);
  return Buffer.concat([local, name, deflated, cd, name, end]);
}
