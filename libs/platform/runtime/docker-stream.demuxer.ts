/** One frame of Docker's multiplexed attach/logs/exec stream. */
export interface StreamFrame {
  stream: 'stdin' | 'stdout' | 'stderr' | 'system';
  payload: Buffer;
}

const HEADER_BYTES = 8;
const STREAMS = ['stdin', 'stdout', 'stderr', 'system'] as const;

/**
 * Cuts Docker's multiplexed stream (containers without a TTY) into frames: an 8-byte header
 * (stream type, 3 zero bytes, big-endian payload size) then the payload. Chunks may end
 * anywhere, even inside a header; the remainder waits for the next chunk.
 */
export class DockerStreamDemuxer {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): StreamFrame[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames: StreamFrame[] = [];
    let offset = 0;
    while (this.pending.length - offset >= HEADER_BYTES) {
      const type = this.pending.readUInt8(offset);
      const size = this.pending.readUInt32BE(offset + 4);
      if (this.pending.length - offset - HEADER_BYTES < size) break;
      const start = offset + HEADER_BYTES;
      frames.push({
        stream: STREAMS[type] ?? 'system',
        payload: this.pending.subarray(start, start + size),
      });
      offset = start + size;
    }
    this.pending = this.pending.subarray(offset);
    return frames;
  }

  /** Bytes of an incomplete frame still waiting for the rest. */
  get pendingBytes(): number {
    return this.pending.length;
  }
}
