import type { ValueTransformer } from 'typeorm';
import { SecretBox } from './secret-box';

let columnBox: SecretBox | null = null;

/** Set once per process by SecretsModule: the box sealed columns use. */
export function useSecretBoxForColumns(box: SecretBox): void {
  columnBox = box;
}

/**
 * A text column holding a JSON value sealed with the process's SecretBox. Reading also accepts
 * plain JSON (rows written before the column was sealed); writing without a box throws rather
 * than store a secret in plain text.
 */
export function sealedJson<T>(): ValueTransformer {
  return {
    to(value: T | null | undefined): string | null | undefined {
      if (value === undefined) return undefined;
      if (value === null) return null;
      if (!columnBox)
        throw new Error('a sealed column was written in a process without SecretsModule');
      return columnBox.sealJson(value);
    },
    from(stored: string | null): T | null {
      if (stored === null || stored === undefined) return null;
      if (!stored.startsWith('v1.')) return JSON.parse(stored) as T;
      if (!columnBox)
        throw new Error('a sealed column was read in a process without SecretsModule');
      try {
        return columnBox.openJson<T>(stored);
      } catch {
        throw new Error(
          'a sealed value in the database does not open with this WHARF_ENCRYPTION_KEY: it was sealed with another key (another state directory, or a lost secrets/encryption-key)',
        );
      }
    },
  };
}
