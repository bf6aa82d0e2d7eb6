/** Failures of a container engine, in our own terms (callers never see dockerode's errors). */
export type RuntimeErrorKind = 'not_found' | 'conflict' | 'unavailable' | 'failed';

export class RuntimeError extends Error {
  constructor(
    readonly kind: RuntimeErrorKind,
    message: string,
    readonly statusCode?: number,
  ) {
    super(message);
    this.name = 'RuntimeError';
  }
}
