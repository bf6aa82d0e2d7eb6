import { LogLineDecoder } from './log-line.decoder';

/** One frame of Docker's multiplexed stream. */
function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const header = Buffer.alloc(8);
  header.writeUInt8(stream, 0);
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

/** Feeds `bytes` in chunks of `size` bytes, cutting headers and characters anywhere. */
function decodeInChunks(decoder: LogLineDecoder, bytes: Buffer, size: number) {
  const out = [];
  for (let i = 0; i < bytes.length; i += size)
    out.push(...decoder.push(bytes.subarray(i, i + size)));
  out.push(...decoder.end());
  return out;
}

describe('LogLineDecoder', () => {
  const bytes = Buffer.concat([
    frame(1, 'out one\nout '),
    frame(2, 'err ünïcode\n'),
    frame(1, 'two\n'),
    frame(2, 'unterminated'),
  ]);

  it.each([1, 3, 7, 1000])('demultiplexes stdout and stderr in chunks of %i bytes', (size) => {
    const lines = decodeInChunks(
      new LogLineDecoder({ multiplexed: true, timestamps: false }),
      bytes,
      size,
    );
    expect(lines).toEqual([
      { stream: 'stdout', line: 'out one' },
      { stream: 'stderr', line: 'err ünïcode' },
      { stream: 'stdout', line: 'out two' },
      { stream: 'stderr', line: 'unterminated' },
    ]);
  });

  it('gives a line continued over frames the timestamp of its first frame', () => {
    const decoder = new LogLineDecoder({ multiplexed: true, timestamps: true });
    const stamped = Buffer.concat([
      frame(1, '2024-01-01T00:00:01.000000001Z first\n'),
      frame(1, '2024-01-01T00:00:02.000000002Z par'),
      frame(1, '2024-01-01T00:00:03.000000003Z tial\n'),
    ]);
    expect(decodeInChunks(decoder, stamped, 5)).toEqual([
      { stream: 'stdout', line: 'first', timestamp: '2024-01-01T00:00:01.000000001Z' },
      { stream: 'stdout', line: 'partial', timestamp: '2024-01-01T00:00:02.000000002Z' },
    ]);
  });

  it('reads a TTY stream as stdout lines', () => {
    const decoder = new LogLineDecoder({ multiplexed: false, timestamps: true });
    const raw = Buffer.from('2024-01-01T00:00:01Z a\r\n2024-01-01T00:00:02Z b');
    expect(decodeInChunks(decoder, raw, 4)).toEqual([
      { stream: 'stdout', line: 'a', timestamp: '2024-01-01T00:00:01Z' },
      { stream: 'stdout', line: 'b', timestamp: '2024-01-01T00:00:02Z' },
    ]);
  });
});
