import type { LogLine } from './container-runtime.port';
import { DockerStreamDemuxer } from './docker-stream.demuxer';
import { LineSplitter } from './line-splitter';

interface StreamState {
  lines: LineSplitter;
  /** Timestamp of the line in progress. */
  timestamp?: string;
}

/**
 * Turns the bytes of `GET /containers/:id/logs` into lines per stream. Multiplexed streams are
 * demultiplexed frame by frame; with timestamps, the engine prefixes every frame with one, so a
 * line continued over several frames keeps the timestamp of its first frame.
 */
export class LogLineDecoder {
  private readonly demuxer = new DockerStreamDemuxer();
  private readonly streams: Record<LogLine['stream'], StreamState> = {
    stdout: { lines: new LineSplitter() },
    stderr: { lines: new LineSplitter() },
  };

  constructor(private readonly options: { multiplexed: boolean; timestamps: boolean }) {}

  push(chunk: Buffer): LogLine[] {
    if (!this.options.multiplexed) return this.raw(chunk);
    const out: LogLine[] = [];
    for (const frame of this.demuxer.push(chunk)) {
      const stream = frame.stream === 'stdout' ? 'stdout' : 'stderr';
      out.push(...this.frame(stream, frame.payload));
    }
    return out;
  }

  /** Whatever is left when the stream ends: unterminated last lines. */
  end(): LogLine[] {
    const out: LogLine[] = [];
    for (const stream of ['stdout', 'stderr'] as const) {
      const state = this.streams[stream];
      const rest = state.lines.flush();
      if (rest === null) continue;
      out.push(this.options.multiplexed ? line(stream, rest, state.timestamp) : this.stamped(rest));
    }
    return out;
  }

  private frame(stream: LogLine['stream'], payload: Buffer): LogLine[] {
    const state = this.streams[stream];
    let body = payload;
    let frameTimestamp: string | undefined;
    if (this.options.timestamps) {
      const space = payload.indexOf(0x20);
      frameTimestamp = payload.subarray(0, space < 0 ? payload.length : space).toString('latin1');
      body = space < 0 ? Buffer.alloc(0) : payload.subarray(space + 1);
    }
    let timestamp = state.lines.midLine ? state.timestamp : frameTimestamp;
    const out: LogLine[] = [];
    for (const text of state.lines.push(body)) {
      out.push(line(stream, text, timestamp));
      timestamp = frameTimestamp;
    }
    state.timestamp = timestamp;
    return out;
  }

  /** A TTY container: one stream of text; each line carries its own timestamp when asked. */
  private raw(chunk: Buffer): LogLine[] {
    return this.streams.stdout.lines.push(chunk).map((text) => this.stamped(text));
  }

  private stamped(text: string): LogLine {
    if (!this.options.timestamps) return line('stdout', text);
    const space = text.indexOf(' ');
    return space < 0
      ? line('stdout', '', text)
      : line('stdout', text.slice(space + 1), text.slice(0, space));
  }
}

function line(stream: LogLine['stream'], text: string, timestamp?: string): LogLine {
  return timestamp === undefined ? { stream, line: text } : { stream, line: text, timestamp };
}
