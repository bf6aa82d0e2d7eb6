import { createHash } from 'node:crypto';

/**
 * App instances of one space share a Docker network of their own, apart from every other space's:
 * they reach each other (apps.internal), and another space's instances not at all. The firewall
 * (scripts/lib/services.sh, ensure_firewall) knows these networks by their bridges' names,
 * `<prefix>-<8 hex of the space guid>`: one wildcard, `<prefix>-+`, names them all, and the
 * prefix (`wp` + 4 hex of the installation, written by `npm run up`) keeps installations apart.
 */
export interface SpaceNetworkRef {
  name: string;
  bridgeName: string;
  labels: Record<string, string>;
}

/** An interface name's limit (IFNAMSIZ - 1). */
export const MAX_BRIDGE_NAME = 15;

export function spaceBridgeName(prefix: string, spaceGuid: string): string {
  const name = `${prefix}-${createHash('sha256').update(spaceGuid).digest('hex').slice(0, 8)}`;
  if (name.length > MAX_BRIDGE_NAME)
    throw new Error(`bridge name ${name} is longer than ${MAX_BRIDGE_NAME} characters`);
  return name;
}

export function spaceNetwork(
  installation: string,
  prefix: string,
  spaceGuid: string,
): SpaceNetworkRef {
  return {
    name: `wharf-${installation}-space-${spaceGuid}`,
    bridgeName: spaceBridgeName(prefix, spaceGuid),
    labels: spaceNetworkLabels(installation, spaceGuid),
  };
}

/** Labels by which Wharf finds a space's network (never by name). */
export function spaceNetworkLabels(
  installation: string,
  spaceGuid: string,
): Record<string, string> {
  return {
    'wharf.managed': 'true',
    'wharf.installation': installation,
    'wharf.space_guid': spaceGuid,
  };
}
