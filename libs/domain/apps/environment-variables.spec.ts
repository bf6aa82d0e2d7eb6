import { DomainError } from '@wharf/platform/errors';
import { patchEnvironmentVariables, validateEnvironmentVariables } from './environment-variables';

describe('app environment variables', () => {
  it('merges a patch, null deleting', () => {
    expect(patchEnvironmentVariables({ A: '1', B: '2' }, { B: null, C: '3' })).toEqual({
      A: '1',
      C: '3',
    });
  });

  it.each([
    'VCAP_SERVICES',
    'vcap_application',
    'VMC_X',
    'PORT',
    'port',
    '',
    'PORT=1',
    'A=B',
    'A\0B',
    'A\nPORT',
    'A\rB',
    'A\tB',
  ])('refuses the name %j', (name) => {
    expect(() => validateEnvironmentVariables({ [name]: 'x' })).toThrow(DomainError);
  });

  it('refuses a NUL in a value and keeps line breaks', () => {
    expect(() => validateEnvironmentVariables({ A: 'x\0y' })).toThrow('cannot contain a NUL');
    expect(() => validateEnvironmentVariables({ PEM: 'a\nb\r\n', Z: null })).not.toThrow();
  });

  it('accepts ordinary names', () => {
    expect(() =>
      validateEnvironmentVariables({ DATABASE_URL: 'x', port_number: '1' }),
    ).not.toThrow();
  });
});
