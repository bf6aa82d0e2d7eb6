import { createHash, timingSafeEqual } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import express from 'express';
import type { WharfConfig } from '@wharf/platform/config';
import { BrokerError, BrokerErrorCode } from './osb/broker.errors';
import { OsbExceptionFilter } from './osb/osb-exception.filter';
import { parseOsbVersion } from './osb/osb-version';

/**
 * The HTTP behaviour every OSB request gets before a handler runs, shared by main.ts and tests:
 * Basic auth first (an unauthenticated caller learns nothing, not even the versions spoken), then
 * the API version header (412), then JSON bodies (malformed: 400). Create the app with
 * `bodyParser: false`.
 */
export function configureBrokersApp(app: INestApplication, config: WharfConfig): void {
  const filter = new OsbExceptionFilter();
  const respond = (err: unknown, res: Response): void => {
    const { status, body } = filter.render(err);
    if (status === 401) res.setHeader('WWW-Authenticate', 'Basic realm="wharf-brokers"');
    res.status(status).json(body);
  };
  const expected = digest(`${config.brokers.username}:${config.brokers.password}`);

  app.use((req: Request, res: Response, next: NextFunction) => {
    // OSB: the platform's request id SHOULD come back on the response, for its logs.
    const requestId = req.header('X-Broker-API-Request-Identity');
    if (requestId) res.setHeader('X-Broker-API-Request-Identity', requestId);
    const m = /^Basic\s+(\S+)$/i.exec(req.header('authorization') ?? '');
    const given = m?.[1] ? Buffer.from(m[1], 'base64').toString('utf8') : null;
    if (given === null || !timingSafeEqual(digest(given), expected)) {
      return respond(
        new BrokerError(BrokerErrorCode.Unauthorized, 'Missing or wrong broker credentials.'),
        res,
      );
    }
    try {
      res.locals.osbVersion = parseOsbVersion(req.header('X-Broker-API-Version'));
    } catch (err) {
      return respond(err, res);
    }
    next();
  });
  app.use(express.json({ limit: '1mb', type: () => true }));
  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!err) return next();
    const e = err as { type?: string; message?: string };
    if (e.type === 'entity.parse.failed' || e.type === 'entity.too.large') {
      return respond(
        new BrokerError(BrokerErrorCode.BadRequest, `Malformed request body: ${e.message ?? ''}`),
        res,
      );
    }
    respond(err, res);
  });
  app.useGlobalFilters(filter);
  app.enableShutdownHooks();
}

/** Fixed-length digests, so comparing them takes the same time whatever was sent. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
