import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar';
import { listAppFiles, POOLED_FROM_BYTES, writeArchive } from './package-archiver';

describe('listAppFiles', () => {
  it("leaves out VCS data, the manifest and .cfignore's patterns; hashes big files", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wharf-files-'));
    for (const d of ['.git', 'src', 'logs', 'node_modules/x'])
      mkdirSync(join(dir, d), { recursive: true });
    writeFileSync(join(dir, '.git', 'HEAD'), 'x');
    writeFileSync(join(dir, 'manifest.yml'), 'x');
    writeFileSync(join(dir, '.cfignore'), '# comment\nlogs/\n*.tmp\n/secret.txt\n');
    writeFileSync(join(dir, 'logs', 'a.log'), 'x');
    writeFileSync(join(dir, 'src', 'a.tmp'), 'x');
    writeFileSync(join(dir, 'secret.txt'), 'x');
    writeFileSync(join(dir, 'src', 'secret.txt'), 'kept: only the root one is ignored');
    writeFileSync(join(dir, 'server.js'), 'x');
    writeFileSync(join(dir, 'node_modules', 'x', 'big.js'), 'y'.repeat(POOLED_FROM_BYTES));
    symlinkSync('server.js', join(dir, 'link.js'));
    const files = await listAppFiles(dir);
    expect(files.map((f) => f.path)).toEqual([
      'link.js',
      'node_modules/x/big.js',
      'server.js',
      'src/secret.txt',
    ]);
    expect(files.find((f) => f.path === 'node_modules/x/big.js')?.sha1).toMatch(/^[0-9a-f]{40}$/);
    expect(files.find((f) => f.path === 'server.js')?.sha1).toBeUndefined();
  });

  it('leaves out sockets and FIFOs, so the archive of a directory holding them completes', async () => {
    // A push from a directory that also holds a running service's files: a FIFO among the
    // listed paths made tar wait for a writer forever, and the CLI ended with status 0.
    const dir = mkdtempSync(join(tmpdir(), 'wharf-special-'));
    mkdirSync(join(dir, 'run'));
    writeFileSync(join(dir, 'server.js'), 'x');
    execFileSync('mkfifo', [join(dir, 'run', 'pipe')]);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(join(dir, 'run', 'api.sock'), resolve));
    try {
      const files = await listAppFiles(dir);
      expect(files.map((f) => f.path)).toEqual(['server.js']);
      const out = join(mkdtempSync(join(tmpdir(), 'wharf-archive-')), 'app.tgz');
      await writeArchive(
        dir,
        files.map((f) => f.path),
        out,
      );
      const names: string[] = [];
      await tar.t({ file: out, onReadEntry: (e) => names.push(e.path) });
      expect(names).toEqual(['server.js']);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
