import { createDataSource } from '@wharf/platform/db';
import {
  EncryptionKeyMismatchError,
  SecretBox,
  verifyEncryptionKey,
} from '@wharf/platform/secrets';
import { createTestDatabase, TestDatabase } from '../support/test-database';

jest.setTimeout(60_000);

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe('verifyEncryptionKey (what `migrate` runs before anything starts)', () => {
  it('records the key on the first run, accepts it again, and refuses another key without changing the record', async () => {
    const ds = createDataSource(db.config);
    await ds.initialize();
    try {
      const key = new SecretBox('k'.repeat(64));
      await expect(verifyEncryptionKey(ds, key, 'db1')).resolves.toBe('recorded');
      const [before] = await ds.query<{ sealed: string }[]>(
        `SELECT "sealed" FROM "encryption_key_check"`,
      );
      // The record is sealed, not the key or a hash of it.
      expect(before!.sealed).toMatch(/^v1\./);
      expect(before!.sealed).not.toContain('k'.repeat(16));

      await expect(verifyEncryptionKey(ds, key, 'db1')).resolves.toBe('verified');

      const other = new SecretBox('o'.repeat(64));
      const refused = verifyEncryptionKey(ds, other, 'db1');
      await expect(refused).rejects.toBeInstanceOf(EncryptionKeyMismatchError);
      await expect(verifyEncryptionKey(ds, other, 'db1')).rejects.toThrow(
        /secrets in database db1 were sealed with another encryption key/,
      );
      const after = await ds.query<{ sealed: string }[]>(
        `SELECT "sealed" FROM "encryption_key_check"`,
      );
      expect(after).toEqual([before]);
    } finally {
      await ds.destroy();
    }
  });
});
