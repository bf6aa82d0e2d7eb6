import { AppsErrorCode, appsError } from './apps.errors';

/**
 * CF's rules for an app's own variables: names are non-empty, and VCAP_*, VMC* and PORT belong to
 * the platform. A container's environment is a list of NUL-terminated `NAME=value` entries, so a
 * name may not hold '=' (it would set another variable, e.g. `PORT=1` past the PORT rule) nor
 * control characters (a NUL ends the entry; a line break makes a second `NAME=` line for whatever
 * reads the environment line by line), and a value may not hold a NUL. Values may hold line breaks
 * (certificates, JSON), as in CF.
 */
export function validateEnvironmentVariables(vars: Record<string, string | null>): void {
  for (const [key, value] of Object.entries(vars)) {
    if (key.length === 0) {
      throw appsError(
        AppsErrorCode.InvalidEnvironmentVariable,
        'Environment variable names cannot be empty.',
      );
    }
    if (/[=\p{Cc}]/u.test(key)) {
      throw appsError(
        AppsErrorCode.InvalidEnvironmentVariable,
        `Environment variable name ${JSON.stringify(key)} is invalid: it cannot contain '=' or control characters.`,
      );
    }
    if (/^VCAP_/i.test(key)) {
      throw appsError(
        AppsErrorCode.InvalidEnvironmentVariable,
        `Environment variable ${key} cannot start with VCAP_: that prefix is the platform's.`,
      );
    }
    if (/^VMC/i.test(key)) {
      throw appsError(
        AppsErrorCode.InvalidEnvironmentVariable,
        `Environment variable ${key} cannot start with VMC_: that prefix is the platform's.`,
      );
    }
    if (key.toUpperCase() === 'PORT') {
      throw appsError(
        AppsErrorCode.InvalidEnvironmentVariable,
        'Environment variable PORT cannot be set: the platform assigns it.',
      );
    }
    if (value?.includes('\0')) {
      throw appsError(
        AppsErrorCode.InvalidEnvironmentVariable,
        `Environment variable ${key} is invalid: its value cannot contain a NUL character.`,
      );
    }
  }
}

/** PATCH semantics: keys are merged, null deletes. */
export function patchEnvironmentVariables(
  current: Record<string, string>,
  patch: Record<string, string | null>,
): Record<string, string> {
  validateEnvironmentVariables(patch);
  const next = { ...current };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete next[k];
    else next[k] = v;
  }
  return next;
}
