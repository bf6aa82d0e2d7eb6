import { createPrivateKey, X509Certificate } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';

/**
 * The client side of mutual TLS with a Docker engine over TCP, as PEM text: the CA that signed
 * the engine's certificate, and the certificate and key the engine's `--tlsverify` checks.
 */
export interface EngineTls {
  ca: string;
  cert: string;
  key: string;
}

/**
 * Whether a host name stays on this machine: `localhost`, 127.0.0.0/8 or ::1 (also written as
 * the IPv4-mapped ::ffff:127.x.y.z). Anything else may be reached over a network.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '')
    .toLowerCase();
  if (host === 'localhost') return true;
  if (isIPv4(host)) return host.split('.')[0] === '127';
  if (!isIPv6(host)) return false;
  if (host === '::1') return true;
  // WHATWG URLs write ::ffff:127.0.0.1 as ::ffff:7f00:1.
  const mapped = /^::ffff:(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):[0-9a-f]{1,4})$/.exec(host);
  if (!mapped) return false;
  if (mapped[1]) return mapped[1].split('.')[0] === '127';
  return parseInt(mapped[2] ?? '0', 16) >> 8 === 127;
}

/**
 * Why Wharf must not talk to a Docker endpoint with this TLS material, or null when it may.
 * The Docker API is root on its host: plain TCP is only allowed to loopback, any other
 * `tcp://` endpoint needs mutual TLS. TLS material is refused on a `unix://` socket (it would
 * be stored and never used) and when it does not parse or the key is not the certificate's.
 */
export function dockerEndpointProblem(endpoint: string, tls?: EngineTls | null): string | null {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return `invalid Docker endpoint ${endpoint} (use unix:///path or tcp://host:port)`;
  }
  if (url.protocol === 'unix:') {
    return tls ? `TLS material applies to tcp:// endpoints only, not to ${endpoint}` : null;
  }
  if (url.protocol !== 'tcp:') {
    return `unsupported Docker endpoint ${endpoint} (use unix:///path or tcp://host:port)`;
  }
  if (!url.hostname) return `invalid Docker endpoint ${endpoint}: no host`;
  if (tls) return tlsMaterialProblem(tls);
  if (isLoopbackHost(url.hostname)) return null;
  return (
    `refusing plain TCP to the Docker engine at ${endpoint}: whoever reaches that port is root ` +
    `on its host. Start the engine with --tlsverify and give its CA and a client certificate ` +
    `and key (--tls-ca, --tls-cert, --tls-key)`
  );
}

function tlsMaterialProblem(tls: EngineTls): string | null {
  let cert: X509Certificate;
  try {
    new X509Certificate(tls.ca);
  } catch {
    return 'the TLS CA is not a PEM certificate';
  }
  try {
    cert = new X509Certificate(tls.cert);
  } catch {
    return 'the TLS client certificate is not a PEM certificate';
  }
  let key: ReturnType<typeof createPrivateKey>;
  try {
    key = createPrivateKey(tls.key);
  } catch {
    return 'the TLS client key is not a PEM private key (an unencrypted one is needed)';
  }
  if (!cert.checkPrivateKey(key))
    return 'the TLS client key does not belong to the client certificate';
  return null;
}
