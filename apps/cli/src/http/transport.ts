import { CliError } from '../errors/cli.error';
import { isRecord } from './json';

export type FetchFn = typeof fetch;

const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * One HTTP exchange. Transport failures (refused, DNS, timeout) become a CliError in cf's words;
 * every HTTP answer, whatever its status, is returned for the caller to judge.
 */
export async function send(
  fetchFn: FetchFn,
  url: URL,
  init: RequestInit,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<Response> {
  try {
    return await fetchFn(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const method = init.method ?? 'GET';
    throw new CliError(
      `Request error: ${method} ${url.toString()}: ${describeCause(err)}\n` +
        'TIP: If you are behind a firewall and require an HTTP proxy, verify the https_proxy ' +
        'environment variable is correctly set. Else, check your network connection.',
    );
  }
}

function describeCause(err: unknown): string {
  // Duck-typed rather than instanceof: fetch's errors may come from another realm (e.g. in jest).
  if (!isRecord(err)) return String(err);
  if (err.name === 'TimeoutError') return 'timed out waiting for a response';
  const cause: unknown = err.cause;
  if (isRecord(cause)) {
    // undici wraps the socket error; an AggregateError (IPv4 + IPv6 refused) has an empty message.
    const message = typeof cause.message === 'string' ? cause.message : '';
    const code = typeof cause.code === 'string' ? cause.code : '';
    if (message) return message;
    if (code) return code;
  }
  return typeof err.message === 'string' ? err.message : 'unknown error';
}
