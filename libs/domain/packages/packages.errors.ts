import { DomainError, ErrorTable } from '@wharf/platform/errors';

export enum PackagesErrorCode {
  InvalidApp = 'InvalidApp',
  InvalidArchive = 'InvalidArchive',
  PackageNotAwaitingUpload = 'PackageNotAwaitingUpload',
  PackageBitsMissing = 'PackageBitsMissing',
}

export const PACKAGES_ERRORS: ErrorTable<PackagesErrorCode> = {
  InvalidApp: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
  InvalidArchive: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
  PackageNotAwaitingUpload: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
  PackageBitsMissing: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
};

export const packagesError = (code: PackagesErrorCode, detail: string): DomainError =>
  DomainError.from(PACKAGES_ERRORS, code, detail);
