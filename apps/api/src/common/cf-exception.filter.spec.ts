import { Logger, NotFoundException } from '@nestjs/common';
import { OAuthError } from '@wharf/identity';
import { notFound } from '@wharf/platform/errors';
import { CfExceptionFilter } from './cf-exception.filter';

describe('CfExceptionFilter.catch', () => {
  const filter = new CfExceptionFilter();
  const hostFor = (req: object, res: object) =>
    ({ switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }) }) as never;

  it('answers a request that failed in the CF envelope', () => {
    const res = { setHeader: jest.fn(), status: jest.fn(), json: jest.fn() };
    res.status.mockReturnValue(res);
    filter.catch(notFound('App'), hostFor({ destroyed: false, complete: true }, res));
    expect(res.status).toHaveBeenCalledWith(404);
    expect(res.json).toHaveBeenCalledWith({
      errors: [{ code: 10010, title: 'CF-ResourceNotFound', detail: 'App not found' }],
    });
  });

  it('logs a request the client abandoned half-read as a warning, not an unknown error', () => {
    const warned = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const failed = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const res = { setHeader: jest.fn(), status: jest.fn(), json: jest.fn() };
    const req = {
      destroyed: true,
      complete: false,
      method: 'POST',
      originalUrl: '/v3/packages/x/upload',
    };
    filter.catch(new Error('Request aborted'), hostFor(req, res));
    expect(failed).not.toHaveBeenCalled();
    expect(res.json).not.toHaveBeenCalled();
    expect(String(warned.mock.calls[0]?.[0])).toBe(
      'POST "/v3/packages/x/upload": the client closed the connection before its request was read (Request aborted)',
    );
    warned.mockRestore();
    failed.mockRestore();
  });
});

describe('CfExceptionFilter.render', () => {
  const filter = new CfExceptionFilter();

  it('renders domain errors in the CF envelope with their status', () => {
    expect(filter.render(notFound('App'))).toEqual({
      status: 404,
      body: { errors: [{ code: 10010, title: 'CF-ResourceNotFound', detail: 'App not found' }] },
    });
  });

  it('renders OAuth errors in the UAA shape', () => {
    expect(filter.render(new OAuthError('unauthorized', 'Bad credentials', 401))).toEqual({
      status: 401,
      body: { error: 'unauthorized', error_description: 'Bad credentials' },
    });
  });

  it('renders unknown routes as CF-NotFound', () => {
    expect(filter.render(new NotFoundException()).body).toEqual({
      errors: [{ code: 10000, title: 'CF-NotFound', detail: 'Unknown request' }],
    });
  });

  it('hides unexpected errors behind a correlation id', () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { status, body } = filter.render(new Error('secret internals'));
    expect(status).toBe(500);
    const detail = 'errors' in body ? body.errors?.[0]?.detail : '';
    expect(detail).toMatch(/^An unknown error occurred\. \(correlation id [0-9a-f-]{36}\)$/);
    expect(detail).not.toContain('secret');
    // The log keeps the details, under the same correlation id.
    const id = /correlation id ([0-9a-f-]{36})/.exec(detail ?? '')?.[1] ?? 'missing';
    expect(String(logged.mock.calls[0]?.[0])).toContain(
      `correlation_id=${id}: Error: secret internals`,
    );
    logged.mockRestore();
  });
});
