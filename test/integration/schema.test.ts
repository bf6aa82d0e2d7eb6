import { ALL_ENTITIES } from '../../apps/admin/src/all-entities';
import { createDataSource } from '@wharf/platform/db';
import { createTestDatabase, TestDatabase } from '../support/test-database';

jest.setTimeout(60_000);

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ migrate: false });
});
afterAll(async () => {
  await db?.drop();
});

describe('migrations', () => {
  it('produce exactly the schema the entities describe, and revert cleanly', async () => {
    const ds = createDataSource(db.config, ALL_ENTITIES);
    await ds.initialize();
    try {
      const applied = await ds.runMigrations({ transaction: 'each' });
      expect(applied.length).toBeGreaterThan(0);
      const pending = await ds.driver.createSchemaBuilder().log();
      // Printing the statements makes a failure say which entity and migration disagree.
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
      for (let i = 0; i < applied.length; i++) await ds.undoLastMigration({ transaction: 'each' });
      const tables = await ds.query<unknown[]>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'wharf_migrations'",
      );
      expect(tables).toEqual([]);
    } finally {
      await ds.destroy();
    }
  });
});
