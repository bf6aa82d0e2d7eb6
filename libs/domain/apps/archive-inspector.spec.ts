import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError } from '@wharf/platform/errors';
import { ArchiveFactory } from '../../../test/support/archives';
import { checkEntryPath, checkLinkTarget, inspectArchive } from './archive-inspector';

const files = { 'package.json': '{"name":"x"}', 'src/server.js': 'console.log(1)' };
let make: ArchiveFactory;

beforeAll(() => {
  make = new ArchiveFactory();
});
afterAll(() => rmSync(make.dir, { recursive: true, force: true }));

async function rejection(path: string): Promise<string> {
  try {
    await inspectArchive(path);
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    return (err as DomainError).detail;
  }
  throw new Error(`${path} was accepted`);
}

describe('inspectArchive', () => {
  it('accepts zip, tar and tar.gz with inner links', async () => {
    await expect(
      inspectArchive(await make.zip(files, { symlinks: { 'link.js': 'src/server.js' } })),
    ).resolves.toEqual(expect.objectContaining({ format: 'zip', entries: 3 }));
    const tar = await inspectArchive(make.tar(files, { symlinks: { lib: 'src' } }));
    expect(tar.format).toBe('tar');
    expect(tar.uncompressedBytes).toBe(
      files['package.json'].length + files['src/server.js'].length,
    );
    await expect(inspectArchive(make.tar(files, { gzip: true }))).resolves.toEqual(
      expect.objectContaining({ format: 'tar' }),
    );
  });

  it('rejects entries that climb out of the app directory', async () => {
    expect(
      await rejection(await make.zip({ 'xx/evil.txt': 'x' }, { rename: { 'xx/evil': '../evil' } })),
    ).toContain("entry '../evil.txt' points outside");
    expect(
      await rejection(make.tar({ 'evil.txt': 'x' }, { transform: 's,^\\./evil,../evil,' })),
    ).toContain('points outside');
  });

  it('rejects absolute paths', async () => {
    expect(
      await rejection(
        await make.zip({ 'Zetc/evil': 'x' }, { rename: { 'Zetc/evil': '/etc/evil' } }),
      ),
    ).toContain('absolute path');
    expect(await rejection(make.tarWithAbsolutePath())).toContain('absolute path');
  });

  it('rejects links that point outside', async () => {
    expect(
      await rejection(await make.zip(files, { symlinks: { leak: '../../etc/passwd' } })),
    ).toContain("link 'leak' points outside");
    expect(await rejection(make.tar(files, { symlinks: { leak: '/etc/passwd' } }))).toContain(
      "points to the absolute path '/etc/passwd'",
    );
  });

  it('rejects what is not an archive, and truncated archives', async () => {
    const text = join(make.dir, 'notes.txt');
    writeFileSync(text, 'hello, not an archive');
    expect(await rejection(text)).toContain('neither a zip nor a tar');
    const zip = make.bytes(await make.zip(files));
    const truncated = join(make.dir, 'cut.zip');
    writeFileSync(truncated, zip.subarray(0, zip.length - 30));
    expect(await rejection(truncated)).toContain('could not be read as a zip');
  });

  it('bounds the expanded size (zip bombs)', async () => {
    const big = await make.zip({ 'zeros.bin': '0'.repeat(100_000) });
    await expect(
      inspectArchive(big, { maxEntries: 10, maxUncompressedBytes: 50_000 }),
    ).rejects.toThrow('expands to more than');
    await expect(inspectArchive(big, { maxEntries: 0, maxUncompressedBytes: 1e9 })).rejects.toThrow(
      'more than 0 entries',
    );
  });
});

describe('entry path rules', () => {
  it.each(['a/../../b', '..', '/x', 'C:/x', 'a\\..\\..\\b'])('refuses %j', (name) => {
    expect(() => checkEntryPath(name)).toThrow(DomainError);
  });
  it.each(['a/b', './a', 'a/../b', 'dir/'])('accepts %j', (name) => {
    expect(() => checkEntryPath(name)).not.toThrow();
  });
  it('resolves link targets from the link directory', () => {
    expect(() => checkLinkTarget('a/b/link', '../../x')).not.toThrow();
    expect(() => checkLinkTarget('a/link', '../../x')).toThrow(DomainError);
  });
});
