import type { LogCacheReadResponse, LogEnvelope } from '@wharf/contracts';
import type { ApiClient } from '../http/api.client';

/** `2026-01-01T10:00:00.00+0000`: cf's log timestamp, in the local offset, centiseconds. */
export function logTimestamp(ns: string, offsetMinutes = -new Date().getTimezoneOffset()): string {
  const ms = Number(BigInt(ns) / 1_000_000n);
  const local = new Date(ms + offsetMinutes * 60_000);
  const iso = local.toISOString();
  const cs = String(Math.floor(local.getUTCMilliseconds() / 10)).padStart(2, '0');
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  const off = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
  return `${iso.slice(0, 19)}.${cs}${off}`;
}

export const payloadOf = (e: LogEnvelope): string =>
  Buffer.from(e.log.payload, 'base64').toString('utf8');

/** `   2026-…+0000 [APP/PROC/WEB/0] OUT message`, as cf prints a log line. */
export function formatLogLine(e: LogEnvelope, offsetMinutes?: number): string {
  return `   ${logTimestamp(e.timestamp, offsetMinutes)} [${e.tags.source_type}/${e.instance_id}] ${e.log.type} ${payloadOf(e)}`;
}

/** Lines of an app's log from a time on, read through the Log Cache endpoint, in order. */
export class LogReader {
  private next: bigint;

  constructor(
    private readonly client: ApiClient,
    private readonly appGuid: string,
    fromNs: bigint,
  ) {
    this.next = fromNs;
  }

  async poll(): Promise<LogEnvelope[]> {
    const all: LogEnvelope[] = [];
    for (;;) {
      const res = await this.client.get<LogCacheReadResponse>(`/api/v1/read/${this.appGuid}`, {
        start_time: this.next.toString(),
        envelope_types: 'LOG',
        limit: '1000',
      });
      const batch = res.envelopes.batch;
      all.push(...batch);
      const last = batch[batch.length - 1];
      if (last) this.next = BigInt(last.timestamp) + 1n;
      if (batch.length < 1000) return all;
    }
  }
}
