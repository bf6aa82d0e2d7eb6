import { Logger, NotFoundException } from '@nestjs/common';
import { OAuthError } from '@wharf/identity';
import { notFound } from '@wharf/platform/errors';
import { CfExceptionFilter } from './cf-exception.filter';

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
