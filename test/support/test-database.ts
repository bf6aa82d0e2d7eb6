import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { WharfConfig } from '@wharf/platform/config';
import { createDataSource } from '@wharf/platform/db';
import { testConfig } from './test-env';

export interface TestDatabase {
  config: WharfConfig;
  drop(): Promise<void>;
}

/**
 * A database of its own for one test file, migrated to the current schema, plus a queue prefix
 * of its own: test files never see each other's rows or jobs.
 */
export async function createTestDatabase(
  options: { migrate?: boolean } = {},
): Promise<TestDatabase> {
  const base = testConfig();
  const id = randomBytes(4).toString('hex');
  const name = `wharf_it_${id}`;
  const admin = new Client({ connectionString: base.databaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(base.databaseUrl);
  url.pathname = `/${name}`;
  const config: WharfConfig = {
    ...base,
    databaseUrl: url.toString(),
    queuePrefix: `wharf-it-${id}`,
    // Its own containers too: a test platform's scheduler sweeps only its installation's.
    installation: `it-${id}`,
  };
  if (options.migrate !== false) {
    const ds = createDataSource(config);
    await ds.initialize();
    await ds.runMigrations({ transaction: 'each' });
    await ds.destroy();
  }
  return {
    config,
    async drop() {
      const c = new Client({ connectionString: base.databaseUrl });
      await c.connect();
      try {
        // A session of another role on it (seen once in CI: the drop then fails with "must be a
        // member of the role whose process is being terminated") usually ends within moments.
        for (let attempt = 1; ; attempt++) {
          try {
            await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
            return;
          } catch (err) {
            if (attempt >= 10) {
              // Cleanup, not an assertion: a leftover test database must not fail the suite.
              console.warn(`test database ${name} not dropped: ${(err as Error).message}`);
              return;
            }
            await new Promise((r) => setTimeout(r, 500));
          }
        }
      } finally {
        await c.end();
      }
    },
  };
}
