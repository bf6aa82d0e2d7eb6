import { createHash } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix, relative, resolve, sep } from 'node:path';
import { DomainError } from '@wharf/platform/errors';
import { HostileEntry, hostileTar, hostileZip } from '../../../test/support/hostile-archives';
import { unpackArchive } from './archive-extractor';

/**
 * Thousands of generated archives mixing links, link chains, `..`, absolute names, duplicates,
 * hard links and special files, each unpacked into a fresh root deep inside a sandbox. Whatever
 * the extractor accepts or refuses, no byte may land outside the root, and every link it leaves
 * must resolve inside the root. Seeded: WHARF_FUZZ_SEED replays a run; a failure names its seed.
 */
const ARCHIVES = Number(process.env.WHARF_FUZZ_ARCHIVES ?? 5000);
const SEED = Number(process.env.WHARF_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
/** Deeper than any generated archive can climb, so an escape stays inside the sandbox. */
const DEPTH = 48;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = ['a', 'b', 'up', 'e0'];
const STEPS = ['..', '..', 'up', 'e0', 'a', 'b', '.'];

/**
 * Half the archives are openly hostile (`..` and absolute names, hard links, FIFOs); the other
 * half hold only files, directories and relative links, which the extractor must judge by where
 * the links really lead once made.
 */
function generate(rand: () => number): HostileEntry[] {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  if (rand() < 0.3) return chain(rand, pick);
  const hostile = rand() < 0.5;
  const name = (): string => {
    const parts = Array.from({ length: 1 + Math.floor(rand() * 3) }, () =>
      hostile && rand() < 0.1 ? '..' : pick(NAMES),
    );
    const path = parts.join('/');
    const r = hostile ? rand() : 1;
    if (r < 0.03) return `/${path}`;
    if (r < 0.05) return `${path}/`;
    if (r < 0.07) return path.replace(/\//g, '\\');
    return path;
  };
  // Relative steps through names that may themselves be links: chains the text alone can't judge.
  const steps = (): string =>
    Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(STEPS)).join('/');
  const target = (at: string): string => {
    const r = rand();
    if (hostile && r < 0.05) return pick(['/etc', '/', '/tmp/x']);
    const earlier = entries.filter((e) => e.type === 'symlink');
    if (r < 0.5 && earlier.length > 0) {
      // Through an earlier link, then up: lexically inside, really wherever that link leads.
      const via = posix.relative(
        posix.dirname(posix.normalize(at)),
        posix.normalize(pick(earlier).name),
      );
      return `${via || '.'}/${steps()}`;
    }
    return steps();
  };
  const entries: HostileEntry[] = [];
  const count = 1 + Math.floor(rand() * 12);
  for (let i = 0; i < count; i++) {
    const r = hostile ? rand() : rand() * 0.9;
    // Reuse an earlier name now and then: duplicates, and entries under earlier links.
    const earlier = entries.length > 0 && rand() < 0.35 ? pick(entries).name : null;
    const at = earlier === null ? name() : rand() < 0.4 ? earlier : `${earlier}/${pick(NAMES)}`;
    if (r < 0.45) entries.push({ type: 'symlink', name: at, target: target(at) });
    else if (r < 0.8) entries.push({ type: 'file', name: at, content: `payload ${i}` });
    else if (r < 0.9) entries.push({ type: 'directory', name: at });
    else if (r < 0.96) entries.push({ type: 'hardlink', name: at, target: target(at) });
    else entries.push({ type: 'fifo', name: at });
  }
  return entries;
}

/**
 * Links that climb through links: D/l0 → up k levels, D/l1 → l0 then up, D/l2 → l1 then up, …
 * Each target stays inside as text; where it really leads depends on the links before it.
 */
function chain(rand: () => number, pick: <T>(xs: T[]) => T): HostileEntry[] {
  const depth = 1 + Math.floor(rand() * 3);
  const dir = Array.from({ length: depth }, () => pick(NAMES)).join('/');
  const up = (n: number) => Array.from({ length: n }, () => '..').join('/');
  const entries: HostileEntry[] = [{ type: 'directory', name: dir }];
  const links = 1 + Math.floor(rand() * 4);
  entries.push({ type: 'symlink', name: `${dir}/l0`, target: up(1 + Math.floor(rand() * depth)) });
  for (let i = 1; i < links; i++) {
    const climb = Math.floor(rand() * (depth + 1));
    const rest = rand() < 0.3 ? `/${pick(NAMES)}` : '';
    entries.push({
      type: 'symlink',
      name: `${dir}/l${i}`,
      target: `l${i - 1}${climb ? `/${up(climb)}` : ''}${rest}`,
    });
  }
  if (rand() < 0.5) entries.push({ type: 'file', name: `${dir}/f`, content: 'f' });
  return entries;
}

/** Every path under `dir` (links not followed) with a digest of each file, except `skip`'s subtree. */
function snapshot(dir: string, skip: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (p === skip) continue;
      if (e.isDirectory()) {
        out.set(p, 'dir');
        walk(p);
      } else if (e.isSymbolicLink()) out.set(p, `link ${readlinkSync(p)}`);
      else out.set(p, createHash('sha1').update(readFileSync(p)).digest('hex'));
    }
  };
  walk(dir);
  return out;
}

function linksUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isSymbolicLink()) out.push(p);
    else if (e.isDirectory()) out.push(...linksUnder(p));
  }
  return out;
}

/**
 * Where a link really leads, as the kernel resolves it (Node's JS realpath normalises `x/..` as
 * text, the kernel follows `x` first); for a dangling link, as far as its existing part goes.
 */
function landing(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    let at = realpathSync.native(join(path, '..'));
    const parts = readlinkSync(path).split('/');
    while (parts.length > 0) {
      const part = parts.shift() as string;
      if (part === '' || part === '.') continue;
      if (part === '..') {
        at = resolve(at, '..');
        continue;
      }
      try {
        at = realpathSync.native(join(at, part));
      } catch {
        // Nothing there: the kernel stops here, so the rest is only text.
        return resolve(at, part, ...parts);
      }
    }
    return at;
  }
}

describe(`archive extraction, ${ARCHIVES} generated archives (seed ${SEED})`, () => {
  let sandbox: string;
  let parent: string;
  let archives: string;
  beforeAll(() => {
    archives = mkdtempSync(join(tmpdir(), 'wharf-fuzz-archives-'));
    sandbox = mkdtempSync(join(tmpdir(), 'wharf-fuzz-'));
    parent = join(sandbox, ...Array.from({ length: DEPTH }, (_, i) => `l${i}`));
    mkdirSync(parent, { recursive: true });
    // Canaries at several heights: an escape that writes or replaces one changes the snapshot.
    for (const up of [0, 1, 2, 5, 12, DEPTH - 1]) {
      writeFileSync(join(parent, ...Array.from({ length: up }, () => '..'), 'canary'), 'canary');
    }
  });
  afterAll(() => {
    rmSync(sandbox, { recursive: true, force: true });
    rmSync(archives, { recursive: true, force: true });
  });

  it('never writes outside the root, and leaves no link that leads outside it', async () => {
    const rand = mulberry32(SEED);
    const before = snapshot(sandbox, join(parent, 'root'));
    let accepted = 0;
    for (let i = 0; i < ARCHIVES; i++) {
      const entries = generate(rand);
      const format = i % 3 === 0 ? 'zip' : i % 3 === 1 ? 'tar' : 'tgz';
      const archive = join(archives, `archive.${format}`);
      writeFileSync(
        archive,
        format === 'zip' ? hostileZip(entries) : await hostileTar(entries, format === 'tgz'),
      );
      const root = join(parent, 'root');
      mkdirSync(root);
      const what = `archive ${i} of seed ${SEED} (${format}): ${JSON.stringify(entries)}`;
      try {
        await unpackArchive(archive, root);
        accepted += 1;
      } catch (err) {
        if (!(err instanceof DomainError))
          throw new Error(`${what} failed unexpectedly: ${String(err)}`);
      }
      const after = snapshot(sandbox, root);
      for (const [path, digest] of after) {
        if (before.get(path) !== digest) throw new Error(`${what} wrote ${path}`);
      }
      for (const path of before.keys()) {
        if (!after.has(path)) throw new Error(`${what} removed ${path}`);
      }
      const realRoot = realpathSync(root);
      for (const link of linksUnder(root)) {
        const to = landing(link);
        if (to !== realRoot && !to.startsWith(realRoot + sep)) {
          throw new Error(`${what} left ${relative(root, link)} leading to ${to}`);
        }
      }
      rmSync(root, { recursive: true, force: true });
    }
    // The generator must also produce archives the extractor accepts, or it tests refusals only.
    expect(accepted).toBeGreaterThan(ARCHIVES / 20);
  }, 300_000);
});
