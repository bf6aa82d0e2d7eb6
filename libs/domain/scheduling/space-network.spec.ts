import { MAX_BRIDGE_NAME, spaceBridgeName, spaceNetwork } from './space-network';

describe('space networks', () => {
  const space = '0d6a5c1e-4f3b-4d0e-9a4b-2f1e8c7d6b5a';

  it("names a space's bridge <prefix>-<8 hex>, within an interface name's 15 characters", () => {
    const name = spaceBridgeName('wpe0e4', space);
    expect(name).toMatch(/^wpe0e4-[0-9a-f]{8}$/);
    expect(name.length).toBeLessThanOrEqual(MAX_BRIDGE_NAME);
    // The firewall's wildcard for the installation's space bridges.
    expect(name.startsWith('wpe0e4-')).toBe(true);
  });

  it('gives each space a bridge of its own, the same every time', () => {
    const other = '7b1f2e3d-0c4a-4b5e-8f6d-1a2b3c4d5e6f';
    expect(spaceBridgeName('wpe0e4', space)).toBe(spaceBridgeName('wpe0e4', space));
    expect(spaceBridgeName('wpe0e4', other)).not.toBe(spaceBridgeName('wpe0e4', space));
  });

  it('refuses a prefix that would make the name too long for the kernel', () => {
    expect(() => spaceBridgeName('wpe0e4x', space)).toThrow(/15 characters/);
  });

  it('labels the network with the installation and the space, named after both', () => {
    expect(spaceNetwork('iso', 'wpe0e4', space)).toEqual({
      name: `wharf-iso-space-${space}`,
      bridgeName: spaceBridgeName('wpe0e4', space),
      labels: {
        'wharf.managed': 'true',
        'wharf.installation': 'iso',
        'wharf.space_guid': space,
      },
    });
  });
});
