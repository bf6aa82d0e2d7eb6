import { routeUrl, validateDomainName, validateHost, validatePath } from './route-names';

describe('route names', () => {
  it('takes DNS-label hosts and refuses uppercase, spaces, edges and labels over 63', () => {
    expect(validateHost('my-app-2')).toBe('my-app-2');
    expect(validateHost('')).toBe('');
    for (const bad of ['My-App', 'my app', '-app', 'app-', 'a.b', 'a_b']) {
      expect(() => validateHost(bad)).toThrow('is invalid');
    }
    expect(() => validateHost('a'.repeat(64))).toThrow('Host cannot exceed 63 characters');
    expect(validateHost('a'.repeat(63))).toHaveLength(63);
  });

  it('wants paths with a leading slash and nothing odd', () => {
    expect(validatePath('/api/v1')).toBe('/api/v1');
    expect(() => validatePath('api')).toThrow('Path must begin with /');
    expect(() => validatePath('/')).toThrow("cannot be exactly '/'");
    expect(() => validatePath('/a?b')).toThrow('Path cannot contain ?');
    expect(() => validatePath('/a//b')).toThrow('is invalid');
  });

  it("takes CF's URI path characters and %XX escapes, nothing HAProxy or a map file reads as syntax", () => {
    const uriChars = "/a-b._~!$&'()*+,;=:@/%2F%c3%a9";
    expect(validatePath(uriChars)).toBe(uriChars);
    for (const bad of [
      '/a"b',
      '/a\\b',
      '/a b',
      '/a\tb',
      '/a\nb',
      '/a\rb',
      '/a\0b',
      '/a#b',
      '/a%',
      '/a%zz',
      '/a{b}',
      '/a<b>',
      '/a|b',
      '/a^b',
      '/a`b',
      '/caf\u00e9',
      '/a\u007fb',
    ]) {
      expect(() => validatePath(bad)).toThrow('is invalid');
    }
    expect(() => validatePath(`/${'a'.repeat(128)}`)).toThrow('at most 128 characters');
  });

  it('wants domains of two or more lowercase labels', () => {
    expect(validateDomainName('example.com')).toBe('example.com');
    for (const bad of ['localhost', 'Example.com', 'a..b', 'a.-b']) {
      expect(() => validateDomainName(bad)).toThrow('is invalid');
    }
  });

  it('builds the url as CF shows it', () => {
    expect(routeUrl('app', 'apps.localhost', '')).toBe('app.apps.localhost');
    expect(routeUrl('', 'example.com', '/api')).toBe('example.com/api');
  });
});
