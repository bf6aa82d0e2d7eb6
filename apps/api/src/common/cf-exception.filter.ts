import { randomUUID } from 'node:crypto';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { CfError, OAuthErrorResponse } from '@wharf/contracts';
import { OAuthError } from '@wharf/identity';
import { DomainError, ErrorKind } from '@wharf/platform/errors';

const STATUS: Record<ErrorKind, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  too_large: 413,
  too_many_requests: 429,
  unavailable: 503,
};

/** The one place that turns errors into CF's envelope: {"errors":[{code,title,detail}]}. */
@Catch()
export class CfExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Api');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<Request>();
    // The client went away before its request was read (an upload cancelled half-way): nobody
    // is left to answer, and it is not the platform's error.
    if (req.destroyed && !req.complete) {
      const reason = exception instanceof Error ? exception.message : String(exception);
      this.logger.warn(
        `${req.method} ${JSON.stringify(req.originalUrl)}: the client closed the connection before its request was read (${reason})`,
      );
      return;
    }
    const { status, body } = this.render(exception);
    if (status === 401 && 'errors' in body)
      res.setHeader('WWW-Authenticate', 'Bearer realm="wharf"');
    if (exception instanceof OAuthError && exception.retryAfterSeconds)
      res.setHeader('Retry-After', String(exception.retryAfterSeconds));
    res.status(status).json(body);
  }

  render(exception: unknown): { status: number; body: { errors: CfError[] } | OAuthErrorResponse } {
    if (exception instanceof DomainError) {
      return {
        status: STATUS[exception.kind],
        body: envelope(exception.cf.code, exception.cf.title, exception.detail),
      };
    }
    if (exception instanceof OAuthError) {
      return {
        status: exception.status,
        // UAA's shape; a throttled login also names CF's error, as cf reports it (UaaRateLimited).
        body: {
          error: exception.error,
          error_description: exception.description,
          ...(exception.status === 429
            ? {
                errors: [
                  { code: 10013, title: 'CF-UaaRateLimited', detail: exception.description },
                ],
              }
            : {}),
        },
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === 404) {
        return { status, body: envelope(10000, 'CF-NotFound', 'Unknown request') };
      }
      if (status === 413) {
        return {
          status,
          body: envelope(10001, 'CF-RequestEntityTooLarge', 'Request entity too large'),
        };
      }
      if (status < 500) {
        return { status, body: envelope(1004, 'CF-InvalidRequest', exception.message) };
      }
    }
    const correlationId = randomUUID();
    const err = exception instanceof Error ? exception : new Error(String(exception));
    this.logger.error(`UnknownError correlation_id=${correlationId}: ${err.stack ?? err.message}`);
    return {
      status: 500,
      body: envelope(
        10001,
        'UnknownError',
        `An unknown error occurred. (correlation id ${correlationId})`,
      ),
    };
  }
}

function envelope(code: number, title: string, detail: string): { errors: CfError[] } {
  return { errors: [{ code, title, detail }] };
}
