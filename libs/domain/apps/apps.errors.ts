import { DomainError, ErrorTable } from '@wharf/platform/errors';

export enum AppsErrorCode {
  AppNameTaken = 'AppNameTaken',
  InvalidSpace = 'InvalidSpace',
  InvalidEnvironmentVariable = 'InvalidEnvironmentVariable',
  InvalidManifest = 'InvalidManifest',
  InvalidHealthCheck = 'InvalidHealthCheck',
  NoDropletToStart = 'NoDropletToStart',
  InvalidDroplet = 'InvalidDroplet',
  InvalidDeployment = 'InvalidDeployment',
  InvalidTask = 'InvalidTask',
  AppMemoryQuotaExceeded = 'AppMemoryQuotaExceeded',
  SpaceQuotaMemoryLimitExceeded = 'SpaceQuotaMemoryLimitExceeded',
  QuotaInstanceMemoryLimitExceeded = 'QuotaInstanceMemoryLimitExceeded',
  SpaceQuotaInstanceMemoryLimitExceeded = 'SpaceQuotaInstanceMemoryLimitExceeded',
  QuotaInstanceLimitExceeded = 'QuotaInstanceLimitExceeded',
  SpaceQuotaInstanceLimitExceeded = 'SpaceQuotaInstanceLimitExceeded',
}

export const APPS_ERRORS: ErrorTable<AppsErrorCode> = {
  AppNameTaken: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
  InvalidSpace: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
  InvalidEnvironmentVariable: {
    code: 10008,
    title: 'CF-UnprocessableEntity',
    kind: 'unprocessable',
  },
  InvalidManifest: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
  InvalidHealthCheck: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
  NoDropletToStart: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
  InvalidDroplet: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
  InvalidDeployment: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
  InvalidTask: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
  // Quotas: CF's names and numbers (errors/v2.yml), answered 422 like other refused v3 changes.
  AppMemoryQuotaExceeded: {
    code: 100005,
    title: 'CF-AppMemoryQuotaExceeded',
    kind: 'unprocessable',
  },
  SpaceQuotaMemoryLimitExceeded: {
    code: 310003,
    title: 'CF-SpaceQuotaMemoryLimitExceeded',
    kind: 'unprocessable',
  },
  QuotaInstanceMemoryLimitExceeded: {
    code: 100007,
    title: 'CF-QuotaInstanceMemoryLimitExceeded',
    kind: 'unprocessable',
  },
  SpaceQuotaInstanceMemoryLimitExceeded: {
    code: 310004,
    title: 'CF-SpaceQuotaInstanceMemoryLimitExceeded',
    kind: 'unprocessable',
  },
  QuotaInstanceLimitExceeded: {
    code: 100008,
    title: 'CF-QuotaInstanceLimitExceeded',
    kind: 'unprocessable',
  },
  SpaceQuotaInstanceLimitExceeded: {
    code: 310008,
    title: 'CF-SpaceQuotaInstanceLimitExceeded',
    kind: 'unprocessable',
  },
};

export const appsError = (code: AppsErrorCode, detail: string): DomainError =>
  DomainError.from(APPS_ERRORS, code, detail);
