import { formatLogLine, logTimestamp } from './log-reader';

describe('log lines', () => {
  const ns = (iso: string) => (BigInt(Date.parse(iso)) * 1_000_000n).toString();

  it("prints cf's timestamp with centiseconds and the offset", () => {
    expect(logTimestamp(ns('2026-01-01T10:00:00.129Z'), 0)).toBe('2026-01-01T10:00:00.12+0000');
    expect(logTimestamp(ns('2026-01-01T10:00:00.129Z'), 90)).toBe('2026-01-01T11:30:00.12+0130');
    expect(logTimestamp(ns('2026-01-01T10:00:00.000Z'), -300)).toBe('2026-01-01T05:00:00.00-0500');
  });

  it('formats an envelope as [SOURCE/instance] TYPE message', () => {
    expect(
      formatLogLine(
        {
          timestamp: ns('2026-01-01T10:00:00.500Z'),
          source_id: 'a',
          instance_id: '2',
          tags: { source_type: 'APP/PROC/WEB' },
          log: { payload: Buffer.from('hello').toString('base64'), type: 'ERR' },
        },
        0,
      ),
    ).toBe('   2026-01-01T10:00:00.50+0000 [APP/PROC/WEB/2] ERR hello');
  });
});
