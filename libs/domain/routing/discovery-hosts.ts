/** One internal route (`<host>.apps.internal`) and the addresses of its healthy instances. */
export interface InternalName {
  name: string;
  addresses: string[];
}

/**
 * The hosts file dnsmasq answers `apps.internal` from: one line per address and name, so a name
 * with three healthy instances resolves to three A records (clients spread over them). A name
 * without healthy instances has no line: it does not resolve (NXDOMAIN, the domain is local).
 */
export function renderDiscoveryHosts(names: InternalName[]): string {
  const lines = ['# Written by the Wharf worker (routing sync): apps.internal, healthy instances.'];
  const sorted = [...names].sort((a, b) => a.name.localeCompare(b.name));
  for (const n of sorted) {
    for (const address of [...new Set(n.addresses)].sort()) lines.push(`${address} ${n.name}`);
  }
  return `${lines.join('\n')}\n`;
}
