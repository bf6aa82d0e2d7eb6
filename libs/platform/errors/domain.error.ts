/** How a failure should be understood by any caller; apps/api maps kinds to HTTP statuses. */
export type ErrorKind =
  | 'bad_request'
  | 'not_found'
  | 'conflict'
  | 'unprocessable'
  | 'forbidden'
  | 'unauthenticated'
  | 'too_large'
  | 'too_many_requests'
  | 'unavailable';

/** CF's own error identity: the numeric code and the title clients branch on. */
export interface CfErrorIdentity {
  code: number;
  title: string;
}

export interface ErrorTableEntry extends CfErrorIdentity {
  kind: ErrorKind;
}

/**
 * A context declares `enum XErrorCode` and a table `Record<XErrorCode, ErrorTableEntry>`; the
 * compiler then rejects a code without its CF identity.
 */
export type ErrorTable<C extends string> = Record<C, ErrorTableEntry>;

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly cf: CfErrorIdentity,
    detail: string,
  ) {
    super(detail);
    this.name = 'DomainError';
  }

  get detail(): string {
    return this.message;
  }

  static from<C extends string>(table: ErrorTable<C>, code: C, detail: string): DomainError {
    const entry = table[code];
    return new DomainError(entry.kind, { code: entry.code, title: entry.title }, detail);
  }
}

/** Errors every context may raise; numbers and titles are Cloud Foundry's. */
export enum CommonErrorCode {
  ResourceNotFound = 'ResourceNotFound',
  UnprocessableEntity = 'UnprocessableEntity',
  BadQueryParameter = 'BadQueryParameter',
  MessageParseError = 'MessageParseError',
  NotAuthenticated = 'NotAuthenticated',
  InvalidAuthToken = 'InvalidAuthToken',
  NotAuthorized = 'NotAuthorized',
  ServiceUnavailable = 'ServiceUnavailable',
  RequestEntityTooLarge = 'RequestEntityTooLarge',
  RateLimitExceeded = 'RateLimitExceeded',
}

export const COMMON_ERRORS: ErrorTable<CommonErrorCode> = {
  ResourceNotFound: { code: 10010, title: 'CF-ResourceNotFound', kind: 'not_found' },
  UnprocessableEntity: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
  BadQueryParameter: { code: 10005, title: 'CF-BadQueryParameter', kind: 'bad_request' },
  MessageParseError: { code: 1001, title: 'CF-MessageParseError', kind: 'bad_request' },
  NotAuthenticated: { code: 10002, title: 'CF-NotAuthenticated', kind: 'unauthenticated' },
  InvalidAuthToken: { code: 1000, title: 'CF-InvalidAuthToken', kind: 'unauthenticated' },
  NotAuthorized: { code: 10003, title: 'CF-NotAuthorized', kind: 'forbidden' },
  ServiceUnavailable: { code: 10015, title: 'CF-ServiceUnavailable', kind: 'unavailable' },
  RequestEntityTooLarge: { code: 10001, title: 'CF-RequestEntityTooLarge', kind: 'too_large' },
  RateLimitExceeded: { code: 10013, title: 'CF-RateLimitExceeded', kind: 'too_many_requests' },
};

export const commonError = (code: CommonErrorCode, detail: string): DomainError =>
  DomainError.from(COMMON_ERRORS, code, detail);

/** CF's wording for a resource that does not exist or that the caller may not see. */
export const notFound = (resource: string): DomainError =>
  commonError(CommonErrorCode.ResourceNotFound, `${resource} not found`);
