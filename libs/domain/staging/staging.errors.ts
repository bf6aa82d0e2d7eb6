import { DomainError, ErrorTable } from '@wharf/platform/errors';

export enum StagingErrorCode {
  PackageNotReady = 'PackageNotReady',
  UnknownBuildpack = 'UnknownBuildpack',
  DropletNotStaged = 'DropletNotStaged',
}

export const STAGING_ERRORS: ErrorTable<StagingErrorCode> = {
  PackageNotReady: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
  UnknownBuildpack: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
  DropletNotStaged: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
};

export const stagingError = (code: StagingErrorCode, detail: string): DomainError =>
  DomainError.from(STAGING_ERRORS, code, detail);

/**
 * How a failed staging reads on the build (`error`: "<name> - <detail>"), from the lifecycle's
 * exit code, as Cloud Foundry maps them: 222 nothing detected, 223 compile, 224 release; supply
 * and finalize failures (225, 226) and anything else are staging errors.
 */
export function buildErrorForExit(exitCode: number, lastLine: string): string {
  const why = lastLine.trim();
  switch (exitCode) {
    case 222:
      return why.startsWith('None of the buildpacks')
        ? `NoAppDetectedError - An app was not successfully detected by any available buildpack: ${why}`
        : `NoAppDetectedError - ${why || 'No buildpack detected the app'}`;
    case 223:
      return `BuildpackCompileFailed - App staging failed in the buildpack compile phase: ${why}`;
    case 224:
      return `BuildpackReleaseFailed - App staging failed in the buildpack release phase: ${why}`;
    case 225:
      return `StagingError - Staging error: the buildpack supply phase failed: ${why}`;
    case 226:
      return `StagingError - Staging error: the buildpack finalize phase failed: ${why}`;
    case 137:
      return `StagingError - Staging error: the staging container was killed (out of memory?): ${why}`;
    default:
      return `StagingError - Staging error: staging exited with status ${exitCode}: ${why}`;
  }
}

export const STAGING_TIMEOUT_ERROR = 'StagingTimeExpired - Staging time expired';
