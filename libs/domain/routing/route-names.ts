import { RoutingErrorCode, routingError } from './routing.errors';

/** The internal domain: reachable only from apps, resolved to instances, never routed. */
export const INTERNAL_DOMAIN = 'apps.internal';

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * A route's host: one DNS label, lowercase letters, digits and '-' (CF also allows '_' and a
 * lone '*', which the router here does not serve), at most 63 characters. Empty = the domain.
 */
export function validateHost(host: string): string {
  if (host === '') return host;
  if (host.length > 63) {
    throw routingError(
      RoutingErrorCode.InvalidRoute,
      `Host cannot exceed 63 characters (got ${host.length}).`,
    );
  }
  if (!LABEL.test(host)) {
    throw routingError(
      RoutingErrorCode.InvalidRoute,
      `Host '${host}' is invalid: use lowercase letters, digits and '-', not starting or ending with '-'.`,
    );
  }
  return host;
}

/**
 * One path character as CF takes it (RFC 3986: unreserved, sub-delims, ':', '@', '/'), or a
 * percent-escape. Anything else (quotes, backslashes, spaces, control and non-ASCII characters,
 * a bare '%') is refused, so a path is always a plain URI path in the router's configuration.
 */
const PATH = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*$/;

/** Empty, or '/' then segments of URI path characters; no '?', '#', empty segment or lone '/'. */
export function validatePath(path: string): string {
  if (path === '') return path;
  if (!path.startsWith('/'))
    throw routingError(RoutingErrorCode.InvalidRoute, 'Path must begin with /');
  if (path === '/') throw routingError(RoutingErrorCode.InvalidRoute, "Path cannot be exactly '/'");
  if (path.includes('?'))
    throw routingError(RoutingErrorCode.InvalidRoute, 'Path cannot contain ?');
  if (!PATH.test(path) || path.includes('//') || path.length > 128) {
    throw routingError(
      RoutingErrorCode.InvalidRoute,
      `Path ${JSON.stringify(path)} is invalid: use URI path characters (letters, digits and -._~!$&'()*+,;=:@/, or %XX escapes), no empty segments, at most 128 characters.`,
    );
  }
  return path;
}

/** A domain name: two or more DNS labels, lowercase, at most 253 characters. */
export function validateDomainName(name: string): string {
  const labels = name.split('.');
  if (name.length > 253 || labels.length < 2 || !labels.every((l) => LABEL.test(l))) {
    throw routingError(
      RoutingErrorCode.InvalidDomain,
      `Domain name '${name}' is invalid: use two or more lowercase labels of letters, digits and '-', separated by dots.`,
    );
  }
  return name;
}

export const routeUrl = (host: string, domain: string, path: string): string =>
  `${host ? `${host}.` : ''}${domain}${path}`;
