import { renderDiscoveryHosts } from './discovery-hosts';

describe('renderDiscoveryHosts', () => {
  it('gives one line per healthy address of each internal name, in a stable order', () => {
    const text = renderDiscoveryHosts([
      { name: 'b.apps.internal', addresses: ['172.20.0.5', '172.20.0.3', '172.20.0.5'] },
      { name: 'a.apps.internal', addresses: ['172.20.0.9'] },
      { name: 'gone.apps.internal', addresses: [] },
    ]);
    expect(text.split('\n').slice(1)).toEqual([
      '172.20.0.9 a.apps.internal',
      '172.20.0.3 b.apps.internal',
      '172.20.0.5 b.apps.internal',
      '',
    ]);
  });
});
