import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isRecord } from './http/json';

/**
 * The version in the repository's package.json, found by walking up from this file: the same code
 * runs from apps/cli/src (tests) and dist/apps/cli/src (the built CLI), at different depths.
 */
export function packageVersion(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      const pkg: unknown = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      if (isRecord(pkg) && pkg.name === 'wharf' && typeof pkg.version === 'string') {
        return pkg.version;
      }
    } catch {
      // No (readable) package.json here: keep walking up.
    }
    if (dirname(dir) === dir) return 'unknown';
  }
}
