import { DomainError, ErrorTable } from '@wharf/platform/errors';

export enum IdentityErrorCode {
  OrganizationNameTaken = 'OrganizationNameTaken',
  SpaceNameTaken = 'SpaceNameTaken',
  OrganizationNotEmpty = 'OrganizationNotEmpty',
  SpaceNotEmpty = 'SpaceNotEmpty',
  UsernameTaken = 'UsernameTaken',
  BadCredentials = 'BadCredentials',
  InvalidRefreshToken = 'InvalidRefreshToken',
  InvalidAuthToken = 'InvalidAuthToken',
  InvalidRelationship = 'InvalidRelationship',
  RoleTaken = 'RoleTaken',
  RoleInUse = 'RoleInUse',
  UserNotDeletable = 'UserNotDeletable',
  QuotaNameTaken = 'QuotaNameTaken',
  QuotaInUse = 'QuotaInUse',
  DefaultQuotaMissing = 'DefaultQuotaMissing',
}

export const IDENTITY_ERRORS: ErrorTable<IdentityErrorCode> = {
  OrganizationNameTaken: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
  SpaceNameTaken: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
  OrganizationNotEmpty: { code: 10006, title: 'CF-AssociationNotEmpty', kind: 'unprocessable' },
  SpaceNotEmpty: { code: 10006, title: 'CF-AssociationNotEmpty', kind: 'unprocessable' },
  UsernameTaken: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
  BadCredentials: { code: 1000, title: 'CF-InvalidAuthToken', kind: 'unauthenticated' },
  InvalidRefreshToken: { code: 1000, title: 'CF-InvalidAuthToken', kind: 'unauthenticated' },
  InvalidAuthToken: { code: 1000, title: 'CF-InvalidAuthToken', kind: 'unauthenticated' },
  InvalidRelationship: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
  RoleTaken: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
  RoleInUse: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
  UserNotDeletable: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
  QuotaNameTaken: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
  QuotaInUse: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
  DefaultQuotaMissing: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
};

export const identityError = (code: IdentityErrorCode, detail: string): DomainError =>
  DomainError.from(IDENTITY_ERRORS, code, detail);

/** Token-endpoint failures are answered in UAA's shape, not CF's; the oauth controller maps them. */
export class OAuthError extends Error {
  constructor(
    readonly error:
      | 'invalid_token'
      | 'invalid_grant'
      | 'unauthorized'
      | 'invalid_request'
      | 'unsupported_grant_type'
      | 'invalid_client'
      | 'too_many_requests',
    readonly description: string,
    readonly status: 400 | 401 | 429,
    /** Seconds before trying again is worth it (429). */
    readonly retryAfterSeconds?: number,
  ) {
    super(description);
    this.name = 'OAuthError';
  }
}
