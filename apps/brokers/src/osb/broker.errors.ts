/** Why an OSB request failed, in the broker's terms; the filter maps each to a status and body. */
export enum BrokerErrorCode {
  BadRequest = 'BadRequest',
  Unauthorized = 'Unauthorized',
  NotFound = 'NotFound',
  Conflict = 'Conflict',
  Gone = 'Gone',
  PreconditionFailed = 'PreconditionFailed',
  AsyncRequired = 'AsyncRequired',
  ConcurrencyError = 'ConcurrencyError',
  PlanChangeNotSupported = 'PlanChangeNotSupported',
  Unavailable = 'Unavailable',
}

/**
 * Each code's HTTP status and the OSB `error` string it is sent with. The spec fixes the strings
 * of AsyncRequired and ConcurrencyError (422); the others are ours, one camel-case word each.
 */
export const BROKER_ERRORS: Record<BrokerErrorCode, { status: number; error: string }> = {
  BadRequest: { status: 400, error: 'BadRequest' },
  Unauthorized: { status: 401, error: 'Unauthorized' },
  NotFound: { status: 404, error: 'NotFound' },
  Conflict: { status: 409, error: 'Conflict' },
  Gone: { status: 410, error: 'Gone' },
  PreconditionFailed: { status: 412, error: 'PreconditionFailed' },
  AsyncRequired: { status: 422, error: 'AsyncRequired' },
  ConcurrencyError: { status: 422, error: 'ConcurrencyError' },
  PlanChangeNotSupported: { status: 422, error: 'PlanChangeNotSupported' },
  Unavailable: { status: 503, error: 'ServiceUnavailable' },
};

export class BrokerError extends Error {
  constructor(
    readonly code: BrokerErrorCode,
    description: string,
  ) {
    super(description);
    this.name = 'BrokerError';
  }

  get description(): string {
    return this.message;
  }
}
