import { isIP } from 'node:net';

/** A host name of letters, digits, '-', '_' and dots (no userinfo, port, path or spaces). */
const HOST_NAME = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?$/;

/**
 * A host as it goes into a URI: a name or IPv4 address as it is, an IPv6 address in brackets.
 * Anything else is refused rather than escaped: a host is never meant to hold other characters.
 */
export function uriHost(host: string): string {
  if (isIP(host) === 6) return `[${host}]`;
  if (isIP(host) === 4 || HOST_NAME.test(host)) return host;
  throw new Error(`not a host name or address: ${JSON.stringify(host)}`);
}

/**
 * A connection URI (`scheme://user:password@host:port/path?query`) with each part escaped on its
 * own: user, password, every path segment and every query name and value percent-encoded, so no
 * character of a credential can end the userinfo, start the host or add a parameter.
 */
export function serviceUri(parts: {
  scheme: string;
  host: string;
  port: number;
  username?: string;
  password?: string;
  /** Path segments, each escaped (`['db']` → `/db`). */
  path?: string[];
  query?: Record<string, string>;
}): string {
  if (!/^[a-z][a-z0-9+.-]*(:[a-z][a-z0-9+.-]*)*$/.test(parts.scheme))
    throw new Error(`not a URI scheme: ${JSON.stringify(parts.scheme)}`);
  if (!Number.isInteger(parts.port) || parts.port < 1 || parts.port > 65535)
    throw new Error(`not a port: ${parts.port}`);
  const e = encodeURIComponent;
  let userinfo = '';
  if (parts.username !== undefined || parts.password !== undefined) {
    userinfo = e(parts.username ?? '');
    if (parts.password !== undefined) userinfo += `:${e(parts.password)}`;
    userinfo += '@';
  }
  const path = (parts.path ?? []).map((s) => `/${e(s)}`).join('');
  const query = Object.entries(parts.query ?? {})
    .map(([k, v]) => `${e(k)}=${e(v)}`)
    .join('&');
  return `${parts.scheme}://${userinfo}${uriHost(parts.host)}:${parts.port}${path}${query ? `?${query}` : ''}`;
}
