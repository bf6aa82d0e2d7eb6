import { CliError } from '../errors/cli.error';

/**
 * What the user typed for an API endpoint, as cf reads it: no scheme means https, trailing
 * slashes are dropped so that the same endpoint is always stored the same way.
 */
export function normalizeApiUrl(input: string): string {
  const trimmed = input.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new CliError(`Invalid API endpoint '${input}': not a URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError(`Invalid API endpoint '${input}': only http and https are supported.`);
  }
  url.search = '';
  url.hash = '';
  return url.toString().replace(/\/+$/, '');
}

/** `path` under `base` (keeping any path prefix of base); absolute URLs are returned as they are. */
export function resolveUrl(base: string, path: string): URL {
  if (/^https?:\/\//i.test(path)) return new URL(path);
  const prefix = base.replace(/\/+$/, '');
  return new URL(`${prefix}${path.startsWith('/') ? '' : '/'}${path}`);
}
