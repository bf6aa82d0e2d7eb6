import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';

export const OSB_API_VERSION = '2.17';

/** Where a broker is and how to authenticate to it. */
export interface BrokerEndpoint {
  url: string;
  username: string;
  password: string;
}

/**
 * What came back from one call. `answered` whatever the status; `unreachable` when no HTTP answer
 * arrived in time (connection refused, reset, timeout): for a provision or bind that outcome is
 * unknown, which is what orphan mitigation is for.
 */
export type OsbResponse =
  | {
      kind: 'answered';
      status: number;
      /** The parsed JSON body; undefined when there was none or it was not JSON. */
      body: unknown;
      /** True when a body was sent but was not JSON. */
      malformed: boolean;
      retryAfterSeconds: number | null;
    }
  | { kind: 'unreachable'; reason: string };

export interface OsbCall {
  method: 'GET' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  /** The platform user on whose behalf the call is made (X-Broker-API-Originating-Identity). */
  userGuid?: string | null;
}

/**
 * The platform's HTTP client for Open Service Brokers (v2.17): Basic auth, the version header,
 * the originating and request identities on every call, one timeout per call. It never throws for
 * an HTTP status: callers interpret answers per operation (see osb-outcome.ts).
 */
@Injectable()
export class OsbClient {
  constructor(@Inject(WHARF_CONFIG) private readonly config: WharfConfig) {}

  async call(broker: BrokerEndpoint, call: OsbCall): Promise<OsbResponse> {
    const url = new URL(broker.url.replace(/\/+$/, '') + call.path);
    for (const [k, v] of Object.entries(call.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, v);
    const headers: Record<string, string> = {
      Authorization: `Basic ${Buffer.from(`${broker.username}:${broker.password}`).toString('base64')}`,
      'X-Broker-API-Version': OSB_API_VERSION,
      'X-Broker-API-Request-Identity': randomUUID(),
      Accept: 'application/json',
    };
    if (call.userGuid)
      headers['X-Broker-API-Originating-Identity'] =
        `cloudfoundry ${Buffer.from(JSON.stringify({ user_id: call.userGuid })).toString('base64')}`;
    if (call.body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    let text: string;
    try {
      res = await fetch(url, {
        method: call.method,
        headers,
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        signal: AbortSignal.timeout(this.config.osb.timeoutMs),
        redirect: 'error',
      });
      text = await res.text();
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      const reason =
        e.name === 'TimeoutError'
          ? `no answer within ${this.config.osb.timeoutMs / 1000} s`
          : (e.cause?.code ?? e.cause?.message ?? e.message);
      return { kind: 'unreachable', reason };
    }
    let body: unknown;
    let malformed = false;
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text) as unknown;
      } catch {
        malformed = true;
      }
    }
    const retryAfter = Number(res.headers.get('retry-after'));
    return {
      kind: 'answered',
      status: res.status,
      body,
      malformed,
      retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
    };
  }
}
