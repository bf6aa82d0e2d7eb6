import { Resolver } from 'node:dns/promises';

/**
 * Where a service's credentials point, as an app container would find it: a name in
 * services.internal is asked of the installation's dnsmasq (the apps' DNS server, which re-reads
 * the brokers' hosts file when it changes); an address is itself.
 */
export async function serviceAddress(
  /** The installation's apps DNS server (WHARF_APPS_DNS, the apps network's gateway). */
  dns: string,
  host: string,
  /** Waits until the name resolves to this address (dnsmasq re-reads its files on a change). */
  expected?: string,
): Promise<string> {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) return host;
  const resolver = new Resolver({ timeout: 1000, tries: 1 });
  resolver.setServers([dns]);
  const deadline = Date.now() + 10_000;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const [ip] = await resolver.resolve4(host);
      if (ip && (!expected || ip === expected)) return ip;
      last = `answered ${ip}`;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${host} did not resolve at ${dns}: ${String(last)}`);
}
