import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WharfConfig } from '@wharf/platform/config';
import { ServiceHosts } from './service-hosts';

describe('ServiceHosts', () => {
  let root: string;
  let dir: string;
  const hostsFor = (hostsDir: string) =>
    new ServiceHosts({ apps: { discoveryHostsDir: hostsDir } } as WharfConfig);
  const file = () => readFileSync(join(dir, 'services.internal'), 'utf8');

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'wharf-service-hosts-'));
    dir = join(root, 'hosts.d');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('writes one line per name, sorted, into the hosts directory and nothing else there', async () => {
    const hosts = hostsFor(dir);
    await hosts.set('redis-bbb.services.internal', '10.0.0.3');
    await hosts.set('memcached-aaa.services.internal', '10.0.0.2');
    expect(file()).toBe(
      '10.0.0.2 memcached-aaa.services.internal\n10.0.0.3 redis-bbb.services.internal\n',
    );
    // The staging copy is written beside the directory dnsmasq watches, never inside it.
    expect(readdirSync(dir)).toEqual(['services.internal']);
    await hosts.set('redis-bbb.services.internal', '10.0.0.9');
    await hosts.delete('memcached-aaa.services.internal');
    expect(file()).toBe('10.0.0.9 redis-bbb.services.internal\n');
    expect(hosts.address('redis-bbb.services.internal')).toBe('10.0.0.9');
  });

  it('replace drops the names not given; concurrent changes land in call order', async () => {
    const hosts = hostsFor(dir);
    await hosts.set('old.services.internal', '10.0.0.1');
    await Promise.all([
      hosts.replace(new Map([['a.services.internal', '10.0.0.4']])),
      hosts.set('b.services.internal', '10.0.0.5'),
    ]);
    expect(file()).toBe('10.0.0.4 a.services.internal\n10.0.0.5 b.services.internal\n');
  });

  it('is disabled without a hosts directory (credentials then carry addresses)', async () => {
    const hosts = hostsFor('');
    expect(hosts.enabled).toBe(false);
    await hosts.set('x.services.internal', '10.0.0.1');
    expect(readdirSync(root)).toEqual([]);
  });
});
