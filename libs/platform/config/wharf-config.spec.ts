import { ConfigError, loadConfig } from './wharf-config';

const SECRET = 'x'.repeat(32);

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig({ WHARF_JWT_SECRET: SECRET });
    expect(c.api).toEqual({ host: '127.0.0.1', port: 9000, url: 'http://127.0.0.1:9000' });
    expect(c.sharedDomain).toBe('apps.localhost');
    expect(c.dockerHost).toBe('unix:///run/wharf/docker.sock');
    expect(c.queuePrefix).toBe('wharf');
  });

  it('fails fast naming every bad variable', () => {
    let error: unknown;
    try {
      loadConfig({
        WHARF_JWT_SECRET: 'short',
        WHARF_API_PORT: '99999',
        WHARF_REDIS_URL: 'http://x',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('WHARF_JWT_SECRET: must be at least 32 characters');
    expect(message).toContain('WHARF_API_PORT');
    expect(message).toContain('WHARF_REDIS_URL: must be a redis:// URL');
  });

  it("takes the space networks' bridge prefix only in a shape that fits an interface name", () => {
    expect(loadConfig({ WHARF_JWT_SECRET: SECRET }).apps.spaceBridgePrefix).toBe('');
    expect(
      loadConfig({ WHARF_JWT_SECRET: SECRET, WHARF_SPACE_BRIDGE_PREFIX: 'wpe0e4' }).apps
        .spaceBridgePrefix,
    ).toBe('wpe0e4');
    expect(() =>
      loadConfig({ WHARF_JWT_SECRET: SECRET, WHARF_SPACE_BRIDGE_PREFIX: 'wp-e0e4x' }),
    ).toThrow(/WHARF_SPACE_BRIDGE_PREFIX/);
  });

  it('requires the JWT secret', () => {
    expect(() => loadConfig({})).toThrow(/WHARF_JWT_SECRET/);
  });

  it('strips a trailing slash from the public API URL', () => {
    expect(
      loadConfig({ WHARF_JWT_SECRET: SECRET, WHARF_API_URL: 'http://api.example:9000/' }).api.url,
    ).toBe('http://api.example:9000');
  });
});
