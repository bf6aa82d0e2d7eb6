import { Inject, Injectable } from '@nestjs/common';
import type { LogEnvelope } from '@wharf/contracts';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';
import { RedisConnections, type Redis } from '@wharf/platform/redis';

export type LogMessageType = 'OUT' | 'ERR';

export interface LogEntryInput {
  /** `APP/PROC/WEB`, `STG`, `API`, `CELL`, `RTR`, `HEALTH`. */
  sourceType: string;
  /** The instance index as text (`0`), as Log Cache's instance_id. */
  instanceId: string;
  type: LogMessageType;
  message: string;
  /** Nanoseconds since the epoch; now when omitted. */
  timestampNs?: bigint;
}

export interface LogReadOptions {
  /** Inclusive, nanoseconds. */
  startTimeNs?: bigint;
  /** Inclusive, nanoseconds. */
  endTimeNs?: bigint;
  /** 1..1000, default 100 (Log Cache's). */
  limit?: number;
  /** Newest first. */
  descending?: boolean;
}

/** How many lines each source keeps: `logs --recent` shows the last 1000. */
export const LOG_RETENTION = 1000;
export const LOG_READ_MAX = 1000;

let lastNs = 0n;
/** Wall-clock nanoseconds, strictly increasing within this process. */
function nowNs(): bigint {
  const ns = BigInt(Date.now()) * 1_000_000n;
  lastNs = ns > lastNs ? ns : lastNs + 1n;
  return lastNs;
}

/**
 * Each app's recent log lines, in a Redis stream per source (an app guid), trimmed to the last
 * 1000 lines. Redis persists them (AOF), so they outlive api and worker restarts; any number of
 * writers (the worker's staging and log forwarding, the api's [API] lines) append to the same
 * stream. Stream ids are the lines' own timestamps, so reads by time are range queries.
 */
@Injectable()
export class LogStore {
  constructor(
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
    private readonly connections: RedisConnections,
  ) {}

  async append(sourceId: string, entries: LogEntryInput[]): Promise<void> {
    if (entries.length === 0) return;
    const redis = this.redis();
    const pipeline = redis.pipeline();
    for (const e of entries) {
      const ts = e.timestampNs ?? nowNs();
      // Redis assigns the id (its clock, at insertion): never earlier than the line's own time,
      // so a read from a start time by id range misses nothing.
      pipeline.xadd(
        this.key(sourceId),
        'MAXLEN',
        '~',
        String(LOG_RETENTION + 100),
        '*',
        't',
        ts.toString(),
        's',
        e.sourceType,
        'i',
        e.instanceId,
        'y',
        e.type,
        'm',
        e.message,
      );
    }
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([err]) => err);
    if (failed?.[0]) throw failed[0];
  }

  async read(sourceId: string, options: LogReadOptions = {}): Promise<LogEnvelope[]> {
    const limit = Math.min(Math.max(options.limit ?? 100, 1), LOG_READ_MAX);
    const toId = (ns: bigint | undefined, fallback: string): string =>
      ns === undefined ? fallback : (ns / 1_000_000n).toString();
    const start = toId(options.startTimeNs, '-');
    // A line is inserted after its own time, so only the start bounds the id range; both ns
    // bounds are applied exactly to the lines' timestamps.
    const end = '+';
    const raw = options.descending
      ? await this.redis().xrevrange(this.key(sourceId), end, start, 'COUNT', limit + 50)
      : await this.redis().xrange(this.key(sourceId), start, end, 'COUNT', limit + 50);
    const envelopes: LogEnvelope[] = [];
    for (const [, fields] of raw) {
      const f = toRecord(fields);
      const ts = BigInt(f.t ?? '0');
      if (options.startTimeNs !== undefined && ts < options.startTimeNs) continue;
      if (options.endTimeNs !== undefined && ts > options.endTimeNs) continue;
      envelopes.push({
        timestamp: ts.toString(),
        source_id: sourceId,
        instance_id: f.i ?? '0',
        tags: { source_type: f.s ?? 'APP' },
        log: {
          payload: Buffer.from(f.m ?? '', 'utf8').toString('base64'),
          type: f.y === 'ERR' ? 'ERR' : 'OUT',
        },
      });
      if (envelopes.length === limit) break;
    }
    return envelopes;
  }

  /** A small named position (e.g. how far a container's output was forwarded), kept a week. */
  async getCursor(name: string): Promise<string | null> {
    return this.redis().get(`${this.config.queuePrefix}:logcursor:${name}`);
  }

  async setCursor(name: string, value: string): Promise<void> {
    await this.redis().set(`${this.config.queuePrefix}:logcursor:${name}`, value, 'EX', 7 * 86400);
  }

  /** Forgets a source's lines (its app was deleted). */
  async drop(sourceId: string): Promise<void> {
    await this.redis().del(this.key(sourceId));
  }

  private key(sourceId: string): string {
    return `${this.config.queuePrefix}:logs:${sourceId}`;
  }

  private redis(): Redis {
    return this.connections.client;
  }
}

function toRecord(fields: string[]): Record<string, string | undefined> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) out[fields[i] as string] = fields[i + 1] as string;
  return out;
}
