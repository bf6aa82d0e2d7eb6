import type { DataSource } from 'typeorm';
import type { WharfConfig } from '@wharf/platform/config';
import { SecretBox } from './secret-box';

/** The SecretBox a configuration asks for (the token key stands in when no key is configured). */
export function secretBoxFor(config: WharfConfig): SecretBox {
  return config.encryptionKey
    ? new SecretBox(config.encryptionKey)
    : new SecretBox(config.auth.jwtSecret, 'wharf secrets at rest (from the token key)');
}

const CANARY = 'wharf encryption key check';

export class EncryptionKeyMismatchError extends Error {}

/**
 * Makes sure the configured key is the one that sealed the database's secrets. The first run
 * records a value sealed with it (table encryption_key_check); every later run must open that
 * value, or it stops before any process starts: with another key every service credential and app
 * environment variable would fail to open, one request at a time, as 500s. Before the migration
 * that creates the table has run, there is nothing to check ('no table yet').
 */
export async function verifyEncryptionKey(
  ds: DataSource,
  box: SecretBox,
  databaseName: string,
): Promise<'recorded' | 'verified' | 'no table yet'> {
  const [table] = await ds.query<{ t: string | null }[]>(
    `SELECT to_regclass('encryption_key_check')::text AS t`,
  );
  if (!table?.t) return 'no table yet';
  const rows = await ds.query<{ sealed: string }[]>(
    `SELECT "sealed" FROM "encryption_key_check" WHERE "id" = 1`,
  );
  const sealed = rows[0]?.sealed;
  if (sealed === undefined) {
    await ds.query(
      `INSERT INTO "encryption_key_check" ("id", "sealed") VALUES (1, $1) ON CONFLICT ("id") DO NOTHING`,
      [box.seal(CANARY)],
    );
    return 'recorded';
  }
  let opened: string | undefined;
  try {
    opened = box.open(sealed);
  } catch {
    opened = undefined;
  }
  if (opened !== CANARY)
    throw new EncryptionKeyMismatchError(
      `the secrets in database ${databaseName} were sealed with another encryption key than ` +
        `WHARF_ENCRYPTION_KEY (npm run up reads it from <state directory>/secrets/encryption-key). ` +
        `Nothing was started: restore the key that sealed them, or use another database ` +
        `(WHARF_DB_NAME) for this state directory.`,
    );
  return 'verified';
}
