import { DomainError, ErrorTable } from '@wharf/platform/errors';

export enum AppsErrorCode {
  AppNameTaken = 'AppNameTaken',
  InvalidSpace = 'InvalidSpace',
  InvalidEnvironmentVariable = 'InvalidEnvironmentVariable',
  InvalidArchive = 'InvalidArchive',
  PackageNotAwaitingUpload = 'PackageNotAwaitingUpload',
  PackageBitsMissing = 'PackageBitsMissing',
  InvalidManifest = 'InvalidManifest',
  InvalidHealthCheck = 'InvalidHealthCheck',
  NoDropletToStart = 'NoDropletToStart',
  InvalidDroplet = 'InvalidDroplet',
}

export const APPS_ERRORS: ErrorTable<AppsErrorCode> = {
  AppNameTaken: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
  InvalidSpace: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
  InvalidEnvironmentVariable: {
    code: 10008,
    title: 'CF-UnprocessableEntity',
    kind: 'unprocessable',
  },
  InvalidArchive: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
  PackageNotAwaitingUpload: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
  PackageBitsMissing: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
  InvalidManifest: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
  InvalidHealthCheck: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
  NoDropletToStart: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
  InvalidDroplet: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
};

export const appsError = (code: AppsErrorCode, detail: string): DomainError =>
  DomainError.from(APPS_ERRORS, code, detail);
