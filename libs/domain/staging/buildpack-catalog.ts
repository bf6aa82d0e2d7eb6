import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface SystemBuildpack {
  guid: string;
  name: string;
  /** 1-based: detection tries buildpacks in this order. */
  position: number;
  stack: string;
  enabled: boolean;
  locked: boolean;
  filename: string;
  /** The directory's modification time: when this buildpack was installed or changed. */
  updatedAt: Date;
}

/**
 * The buildpacks shipped in the repository's buildpacks/ directory, in the order its `order` file
 * gives (the admin positions). Guids derive from the names so they are stable across restarts.
 */
export async function readBuildpackCatalog(dir: string, stack: string): Promise<SystemBuildpack[]> {
  const names = (await readFile(join(dir, 'order'), 'utf8'))
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('#'));
  const result: SystemBuildpack[] = [];
  for (const [i, name] of names.entries()) {
    const info = await stat(join(dir, name, 'bin', 'detect')).catch(() => null);
    if (!info) continue;
    result.push({
      guid: guidFromName(`buildpack:${name}`),
      name,
      position: i + 1,
      stack,
      enabled: true,
      locked: false,
      filename: `${name}.zip`,
      updatedAt: info.mtime,
    });
  }
  return result;
}

/** A name-based (version 5 style) guid: the same name always gives the same guid. */
export function guidFromName(name: string): string {
  const h = createHash('sha1').update(name).digest();
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x50;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
