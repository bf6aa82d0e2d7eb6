import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import yazl from 'yazl';

/** Fixture archives, good and hostile, written to a temp directory. */
export class ArchiveFactory {
  readonly dir = mkdtempSync(join(tmpdir(), 'wharf-archives-'));
  private n = 0;

  /** A tar of the given files (GNU tar), optionally with symlinks and name rewriting. */
  tar(
    files: Record<string, string>,
    options: { symlinks?: Record<string, string>; transform?: string; gzip?: boolean } = {},
  ): string {
    const src = this.tree(files, options.symlinks ?? {});
    const out = join(this.dir, `a${this.n++}.tar${options.gzip ? '.gz' : ''}`);
    const args = ['-C', src, options.gzip ? '-czf' : '-cf', out];
    if (options.transform) args.push(`--transform=${options.transform}`, '-P');
    execFileSync('tar', [...args, '.']);
    return out;
  }

  /** A tar holding one absolute path (/abs/evil.txt). */
  tarWithAbsolutePath(): string {
    const src = this.tree({ 'abs/evil.txt': 'x' }, {});
    const out = join(this.dir, `a${this.n++}.tar`);
    execFileSync('tar', ['-C', src, '-cf', out, '-P', '--transform=s,^abs,/abs,', 'abs/evil.txt']);
    return out;
  }

  /** A zip; `rename` rewrites same-length names in the finished bytes (yazl refuses hostile names). */
  async zip(
    files: Record<string, string>,
    options: { symlinks?: Record<string, string>; rename?: Record<string, string> } = {},
  ): Promise<string> {
    const zip = new yazl.ZipFile();
    for (const [name, content] of Object.entries(files)) zip.addBuffer(Buffer.from(content), name);
    for (const [name, target] of Object.entries(options.symlinks ?? {})) {
      zip.addBuffer(Buffer.from(target), name, { mode: 0o120777 });
    }
    zip.end();
    const chunks: Buffer[] = [];
    for await (const c of zip.outputStream as AsyncIterable<Buffer>) chunks.push(c);
    let bytes = Buffer.concat(chunks);
    for (const [from, to] of Object.entries(options.rename ?? {})) {
      if (from.length !== to.length) throw new Error('renames must keep the length');
      bytes = Buffer.from(bytes.toString('latin1').split(from).join(to), 'latin1');
    }
    const out = join(this.dir, `a${this.n++}.zip`);
    writeFileSync(out, bytes);
    return out;
  }

  bytes(path: string): Buffer {
    return readFileSync(path);
  }

  private tree(files: Record<string, string>, symlinks: Record<string, string>): string {
    const root = join(this.dir, `src${this.n++}`);
    mkdirSync(root);
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(dirname(join(root, name)), { recursive: true });
      writeFileSync(join(root, name), content);
    }
    for (const [name, target] of Object.entries(symlinks)) symlinkSync(target, join(root, name));
    return root;
  }
}
