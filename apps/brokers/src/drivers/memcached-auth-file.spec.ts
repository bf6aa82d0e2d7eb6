import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileFromTar, tarOfFile, withoutUser, withUser } from './memcached-auth-file';

const readAll = async (stream: Readable): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
};

describe('the memcached auth file', () => {
  const file = 'wharf:Broker1\nbinding-a:Pa1\nbinding-ab:Pb2\n';

  it('sets one user, leaving every other line as it was', () => {
    expect(withUser(file, 'binding-a', 'New9')).toBe(
      'wharf:Broker1\nbinding-ab:Pb2\nbinding-a:New9\n',
    );
    expect(withUser('', 'binding-c', 'Pc3')).toBe('binding-c:Pc3\n');
    // A file the start command ended without a newline.
    expect(withUser('wharf:Broker1', 'binding-c', 'Pc3')).toBe('wharf:Broker1\nbinding-c:Pc3\n');
  });

  it('removes exactly the lines of one user', () => {
    expect(withoutUser(file, 'binding-a')).toBe('wharf:Broker1\nbinding-ab:Pb2\n');
    expect(withoutUser(file, 'binding-none')).toBe(file);
    // Not a pattern: the name is compared as it is.
    expect(withoutUser(file, 'binding-.*')).toBe(file);
  });

  it('refuses a user or password that could add or break a line', () => {
    for (const user of ['a:b', 'a\nwharf', 'a b', '', 'x;e touch /tmp/pwned', 'a\r'])
      expect(() => withUser(file, user, 'Pw1')).toThrow(/not a memcached user name/);
    expect(() => withUser(file, 'binding-a', 'p\nwharf:x')).toThrow(/not a memcached user/);
    expect(() => withUser(file, 'b'.repeat(200), 'p'.repeat(60))).toThrow(/do not fit/);
  });

  it("writes an archive tar extracts to the file, its owner's alone, and reads one back", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wharf-auth-file-'));
    try {
      const owner = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
      const archive = await readAll(tarOfFile('auth.users', file, owner));
      writeFileSync(join(dir, 'a.tar'), archive);
      const listing = execFileSync('tar', ['--numeric-owner', '-tvf', join(dir, 'a.tar')], {
        encoding: 'utf8',
      });
      expect(listing).toMatch(
        new RegExp(`^-rw------- ${owner.uid}/${owner.gid} +${file.length} .* auth\\.users\\n$`),
      );
      execFileSync('tar', ['-xf', join(dir, 'a.tar'), '-C', dir]);
      expect(readFileSync(join(dir, 'auth.users'), 'utf8')).toBe(file);
      expect(statSync(join(dir, 'auth.users')).mode & 0o777).toBe(0o600);

      // What the engine's getArchive sends: tar(1)'s archive of the file, owner included.
      const sent = execFileSync('tar', ['--numeric-owner', '-cf', '-', '-C', dir, 'auth.users']);
      await expect(fileFromTar([sent], 'auth.users')).resolves.toBe(file);
      await expect(fileFromTar([sent], 'other')).resolves.toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
