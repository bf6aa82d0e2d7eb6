import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { NextFunction, Response } from 'express';
import type { AuthenticatedRequest } from './auth.guard';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** What a client may pass on as the start of its request id (cf sends one; the router adds one). */
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Gives every request an X-Vcap-Request-Id (the caller's, if any, then `::` and our own, as the
 * Cloud Controller does), answers it, and keeps it on the request: the caller's Principal carries
 * it into the audit events the request records. Each finished change (POST, PUT, PATCH, DELETE) is logged as one JSON line, so that what
 * was changed can be matched with what was audited.
 */
export function requestIdMiddleware() {
  const logger = new Logger('ApiRequest');
  return (req: AuthenticatedRequest, res: Response, next: NextFunction): void => {
    const incoming = req.header('x-vcap-request-id');
    const requestId =
      incoming && SAFE_ID.test(incoming) ? `${incoming}::${randomUUID()}` : randomUUID();
    req.requestId = requestId;
    res.setHeader('X-Vcap-Request-Id', requestId);
    if (MUTATING.has(req.method)) {
      const started = Date.now();
      res.on('finish', () => {
        logger.log(
          JSON.stringify({
            request_id: requestId,
            method: req.method,
            path: req.originalUrl.split('?')[0],
            status: res.statusCode,
            user: req.principal?.username ?? null,
            at: new Date(started).toISOString(),
            ms: Date.now() - started,
          }),
        );
      });
    }
    next();
  };
}
