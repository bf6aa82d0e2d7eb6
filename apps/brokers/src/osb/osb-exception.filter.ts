import { randomUUID } from 'node:crypto';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { BROKER_ERRORS, BrokerError } from './broker.errors';

export interface OsbErrorBody {
  error: string;
  description: string;
}

/** The one place that turns errors into OSB's `{error, description}` bodies. */
@Catch()
export class OsbExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Brokers');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const { status, body } = this.render(exception);
    res.status(status).json(body);
  }

  render(exception: unknown): { status: number; body: OsbErrorBody } {
    if (exception instanceof BrokerError) {
      const entry = BROKER_ERRORS[exception.code];
      return {
        status: entry.status,
        body: { error: entry.error, description: exception.description },
      };
    }
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      const status = exception.getStatus();
      const error = status === 404 ? 'NotFound' : 'BadRequest';
      return { status, body: { error, description: exception.message } };
    }
    const correlationId = randomUUID();
    const err = exception instanceof Error ? exception : new Error(String(exception));
    this.logger.error(`InternalError correlation_id=${correlationId}: ${err.stack ?? err.message}`);
    return {
      status: 500,
      body: {
        error: 'InternalError',
        description: `The broker failed unexpectedly (correlation id ${correlationId}).`,
      },
    };
  }
}
