/**
 * How a container engine failed: `not_found` (no such container, image or network), `conflict`
 * (name taken, container not running, network in use), `unavailable` (the engine does not
 * answer: retry later or elsewhere), `failed` (the engine answered with an error).
 */
export type RuntimeErrorKind = 'not_found' | 'conflict' | 'unavailable' | 'failed';

/** Failures of a container engine, in our own terms (callers never see dockerode's errors). */
export class RuntimeError extends Error {
  constructor(
    readonly kind: RuntimeErrorKind,
    message: string,
    /** The engine's HTTP status, when it answered. */
    readonly statusCode?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RuntimeError';
  }

  static is(err: unknown, kind?: RuntimeErrorKind): err is RuntimeError {
    return err instanceof RuntimeError && (kind === undefined || err.kind === kind);
  }
}
