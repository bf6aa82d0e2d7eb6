import { DomainError } from '@wharf/platform/errors';
import { patchEnvironmentVariables, validateEnvironmentVariables } from './environment-variables';

describe('app environment variables', () => {
  it('merges a patch, null deleting', () => {
    expect(patchEnvironmentVariables({ A: '1', B: '2' }, { B: null, C: '3' })).toEqual({
      A: '1',
      C: '3',
    });
  });

  it.each(['VCAP_SERVICES', 'vcap_application', 'PORT', ''])('refuses the name %j', (name) => {
    expect(() => validateEnvironmentVariables({ [name]: 'x' })).toThrow(DomainError);
  });

  it('accepts ordinary names', () => {
    expect(() =>
      validateEnvironmentVariables({ DATABASE_URL: 'x', port_number: '1' }),
    ).not.toThrow();
  });
});
