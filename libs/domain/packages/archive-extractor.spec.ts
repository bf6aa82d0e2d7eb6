import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DomainError } from '@wharf/platform/errors';
import { ArchiveFactory } from '../../../test/support/archives';
import {
  HostileEntry,
  hostileTar,
  hostileZip,
  linkChain,
  zipBomb,
} from '../../../test/support/hostile-archives';
import { unpackArchive } from './archive-extractor';
import { checkEntryPath, checkLinkTarget, DEFAULT_ARCHIVE_LIMITS } from './safe-tree.writer';

const files = { 'package.json': '{"name":"x"}', 'src/server.js': 'console.log(1)' };
let make: ArchiveFactory;
let work: string;
let n = 0;

beforeAll(() => {
  make = new ArchiveFactory();
  work = mkdtempSync(join(tmpdir(), 'wharf-extract-'));
});
afterAll(() => {
  rmSync(make.dir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

/** A fresh root two levels below a sandbox, with a canary beside it. */
function freshRoot(): { sandbox: string; root: string } {
  const sandbox = join(work, `s${n++}`);
  const root = join(sandbox, 'a', 'root');
  mkdirSync(root, { recursive: true });
  writeFileSync(join(sandbox, 'a', 'canary'), 'canary');
  return { sandbox, root };
}

async function rejection(path: string, limits = DEFAULT_ARCHIVE_LIMITS): Promise<string> {
  const { root } = freshRoot();
  try {
    await unpackArchive(path, root, limits);
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    return (err as DomainError).detail;
  }
  throw new Error(`${path} was accepted`);
}

async function written(entries: HostileEntry[], format: 'zip' | 'tar' | 'tgz'): Promise<string> {
  const path = join(work, `h${n++}.${format}`);
  writeFileSync(
    path,
    format === 'zip' ? hostileZip(entries) : await hostileTar(entries, format === 'tgz'),
  );
  return path;
}

describe('unpackArchive', () => {
  it('unpacks zip, tar and tar.gz with inner links, modes kept', async () => {
    const zip = freshRoot();
    await expect(
      unpackArchive(await make.zip(files, { symlinks: { 'link.js': 'src/server.js' } }), zip.root),
    ).resolves.toEqual(expect.objectContaining({ format: 'zip', entries: 3 }));
    expect(readFileSync(join(zip.root, 'link.js'), 'utf8')).toBe('console.log(1)');
    expect(readlinkSync(join(zip.root, 'link.js'))).toBe('src/server.js');

    const tar = freshRoot();
    const summary = await unpackArchive(make.tar(files, { symlinks: { lib: 'src' } }), tar.root);
    expect(summary.format).toBe('tar');
    expect(summary.uncompressedBytes).toBe(
      files['package.json'].length + files['src/server.js'].length,
    );
    expect(lstatSync(join(tar.root, 'lib')).isSymbolicLink()).toBe(true);

    const tgz = freshRoot();
    await unpackArchive(
      await written([{ type: 'file', name: 'bin/run', content: '#!/bin/sh', mode: 0o4755 }], 'tgz'),
      tgz.root,
    );
    // Permission bits kept, setuid dropped.
    expect(lstatSync(join(tgz.root, 'bin/run')).mode & 0o7777).toBe(0o755);
  });

  it.each(['zip', 'tar', 'tgz'] as const)(
    'refuses the link chain of the report (%s), and writes nothing outside',
    async (format) => {
      const { sandbox, root } = freshRoot();
      const path = await written(linkChain(8), format);
      await expect(unpackArchive(path, root)).rejects.toThrow(
        "entry 'd/up/e0/e1/e2/e3/e4/e5/e6/e7/escaped.bin' is inside 'd/up', which is a link",
      );
      expect(() => lstatSync(join(sandbox, 'escaped.bin'))).toThrow();
      expect(() => lstatSync(join(sandbox, 'a', 'escaped.bin'))).toThrow();
    },
  );

  it('refuses a link whose target climbs out through another link', async () => {
    const path = await written(
      [
        { type: 'directory', name: 'sub' },
        { type: 'symlink', name: 'sub/up', target: '..' },
        { type: 'symlink', name: 'sub/out', target: 'up/..' },
        { type: 'symlink', name: 'x', target: 'sub/up/../sub/up/..' },
      ],
      'tar',
    );
    expect(await rejection(path)).toContain("link 'sub/out' leads outside the app directory");
  });

  it('refuses loops of links, hard links, devices and FIFOs, naming the entry', async () => {
    const loop = await written(
      [
        { type: 'symlink', name: 'a', target: 'b' },
        { type: 'symlink', name: 'b', target: 'a' },
      ],
      'tar',
    );
    expect(await rejection(loop)).toContain('goes round a loop of links');
    expect(
      await rejection(
        await written(
          [
            { type: 'file', name: 'f' },
            { type: 'hardlink', name: 'h', target: '../../etc/passwd' },
          ],
          'tar',
        ),
      ),
    ).toContain("entry 'h' is a hard link");
    expect(
      await rejection(await written([{ type: 'character-device', name: 'null' }], 'tar')),
    ).toContain("entry 'null' is a character-device");
    expect(await rejection(await written([{ type: 'fifo', name: 'pipe' }], 'zip'))).toContain(
      "entry 'pipe' is a special file",
    );
  });

  it('refuses duplicates and files that a later entry treats as a directory', async () => {
    expect(
      await rejection(
        await written(
          [
            { type: 'file', name: 'a' },
            { type: 'file', name: './a' },
          ],
          'zip',
        ),
      ),
    ).toContain("entry './a' appears twice");
    expect(
      await rejection(
        await written(
          [
            { type: 'file', name: 'a' },
            { type: 'file', name: 'a/b' },
          ],
          'tar',
        ),
      ),
    ).toContain("entry 'a/b' is inside 'a', which is a file");
  });

  it('refuses entries that climb out of the app directory', async () => {
    expect(
      await rejection(await make.zip({ 'xx/evil.txt': 'x' }, { rename: { 'xx/evil': '../evil' } })),
    ).toContain("entry '../evil.txt' points outside");
    expect(
      await rejection(make.tar({ 'evil.txt': 'x' }, { transform: 's,^\\./evil,../evil,' })),
    ).toContain('points outside');
  });

  it('refuses absolute paths', async () => {
    expect(
      await rejection(
        await make.zip({ 'Zetc/evil': 'x' }, { rename: { 'Zetc/evil': '/etc/evil' } }),
      ),
    ).toContain('absolute path');
    expect(await rejection(make.tarWithAbsolutePath())).toContain('absolute path');
  });

  it('refuses links that point outside', async () => {
    expect(
      await rejection(await make.zip(files, { symlinks: { leak: '../../etc/passwd' } })),
    ).toContain("link 'leak' points outside");
    expect(await rejection(make.tar(files, { symlinks: { leak: '/etc/passwd' } }))).toContain(
      "points to the absolute path '/etc/passwd'",
    );
  });

  it('refuses what is not an archive, and truncated archives', async () => {
    const text = join(make.dir, 'notes.txt');
    writeFileSync(text, 'hello, not an archive');
    expect(await rejection(text)).toContain('neither a zip nor a tar');
    const zip = make.bytes(await make.zip(files));
    const truncated = join(make.dir, 'cut.zip');
    writeFileSync(truncated, zip.subarray(0, zip.length - 30));
    expect(await rejection(truncated)).toContain('could not be read as a zip');
  });

  it('bounds entries, expanded bytes as written, and the compression ratio (zip bombs)', async () => {
    const big = await make.zip({ 'zeros.bin': '0'.repeat(100_000) });
    const limits = { ...DEFAULT_ARCHIVE_LIMITS, maxEntries: 10, maxUncompressedBytes: 50_000 };
    expect(await rejection(big, limits)).toContain(
      "it expands to more than 49 KB (at entry 'zeros.bin')",
    );
    expect(await rejection(big, { ...limits, maxEntries: 0 })).toContain('more than 0 entries');
    const bomb = join(work, 'bomb.zip');
    writeFileSync(bomb, zipBomb(20_000_000));
    expect(
      await rejection(bomb, { ...DEFAULT_ARCHIVE_LIMITS, ratioFloorBytes: 1_000_000 }),
    ).toMatch(/expands to more than 100 times its \d+ KB \(at entry 'zeros.bin'\): a zip bomb/);
  });
});

describe('entry path rules', () => {
  it.each(['a/../../b', '..', '/x', 'C:/x', 'a\\..\\..\\b', 'nul\0byte'])('refuses %j', (name) => {
    expect(() => checkEntryPath(name)).toThrow(DomainError);
  });
  it.each([
    ['a/b', 'a/b'],
    ['./a', 'a'],
    ['a/../b', 'b'],
    ['dir/', 'dir'],
  ])('accepts %j as %j', (name, clean) => {
    expect(checkEntryPath(name)).toBe(clean);
  });
  it('resolves link targets from the link directory', () => {
    expect(() => checkLinkTarget('a/b/link', '../../x')).not.toThrow();
    expect(() => checkLinkTarget('a/link', '../../x')).toThrow(DomainError);
    expect(() => checkLinkTarget('a/link', 'C:\\x')).toThrow(DomainError);
  });
});
