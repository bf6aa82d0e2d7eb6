import { AppsErrorCode, appsError } from './apps.errors';

/**
 * CF's rules for an app's own variables: names are non-empty, and VCAP_* and PORT belong to the
 * platform.
 */
export function validateEnvironmentVariables(vars: Record<string, string | null>): void {
  for (const key of Object.keys(vars)) {
    if (key.length === 0) {
      throw appsError(
        AppsErrorCode.InvalidEnvironmentVariable,
        'Environment variable names cannot be empty.',
      );
    }
    if (/^VCAP_/i.test(key)) {
      throw appsError(
        AppsErrorCode.InvalidEnvironmentVariable,
        `Environment variable ${key} cannot start with VCAP_: that prefix is the platform's.`,
      );
    }
    if (key.toUpperCase() === 'PORT') {
      throw appsError(
        AppsErrorCode.InvalidEnvironmentVariable,
        'Environment variable PORT cannot be set: the platform assigns it.',
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
