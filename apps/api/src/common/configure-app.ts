import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import express from 'express';
import { TokenService } from '@wharf/identity';
import { CommonErrorCode, commonError } from '@wharf/platform/errors';
import { v3AuthMiddleware } from './auth.guard';
import { CfExceptionFilter } from './cf-exception.filter';
import { requestIdMiddleware } from './request-id.middleware';
import { assertJsonNesting } from './json-nesting';
import { cfValidationPipe } from './validation';

/**
 * Everything an API instance needs besides its modules; shared by main.ts and the tests so both
 * serve the same HTTP behaviour. Body parsing is ours so that malformed JSON gets a CF error.
 * Create the app with `bodyParser: false`.
 */
export function configureApp(app: INestApplication): void {
  const filter = new CfExceptionFilter();
  const respond = (err: unknown, res: Response): void => {
    const { status, body } = filter.render(err);
    if (status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="wharf"');
    res.status(status).json(body);
  };

  app.use(requestIdMiddleware());
  // Authentication first: an anonymous caller gets 401 before any body is parsed.
  app.use('/v3', v3AuthMiddleware(app.get(TokenService), respond));
  app.use(
    express.json({
      limit: '1mb',
      type: ['application/json', 'application/*+json'],
      // A DomainError thrown here reaches the error handler below as it is.
      verify: (_req, _res, body, encoding) => assertJsonNesting(body, encoding),
      // An own `__proto__` key becomes an object's prototype wherever the body is copied
      // (class-transformer, spreads), silently dropped or polluting: refused as unparseable.
      reviver: (key: string, value: unknown) => {
        if (key === '__proto__') throw new SyntaxError('the key "__proto__" is not accepted');
        return value;
      },
    }),
  );
  app.use(express.urlencoded({ extended: false, limit: '64kb' }));
  // Manifests (apply_manifest) arrive as YAML text.
  app.use(
    express.text({ limit: '1mb', type: ['application/x-yaml', 'text/yaml', 'application/yaml'] }),
  );
  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!err) return next();
    const e = err as { type?: string; message?: string };
    if (e.type === 'entity.parse.failed') {
      return respond(
        commonError(
          CommonErrorCode.MessageParseError,
          `Request invalid due to parse error: ${e.message ?? 'invalid JSON'}`,
        ),
        res,
      );
    }
    // A Content-Encoding or charset the body parsers cannot decode (they answer 415).
    if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') {
      return respond(
        commonError(
          CommonErrorCode.MessageParseError,
          `Request invalid due to parse error: ${e.message ?? 'unsupported encoding'}`,
        ),
        res,
      );
    }
    if (e.type === 'entity.too.large') {
      return respond(
        commonError(CommonErrorCode.RequestEntityTooLarge, 'Request entity too large'),
        res,
      );
    }
    respond(err, res);
  });
  app.useGlobalFilters(filter);
  app.useGlobalPipes(cfValidationPipe());
  app.enableShutdownHooks();

  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Wharf API')
      .setDescription(
        'A Cloud Foundry v3 compatible API subset. Authenticate with POST /oauth/token.',
      )
      .setVersion('3')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, doc, { jsonDocumentUrl: 'docs/openapi.json' });
}
