import { LineSplitter } from './line-splitter';

describe('LineSplitter', () => {
  it('keeps partial lines across chunks', () => {
    const s = new LineSplitter();
    expect(s.push('hel')).toEqual([]);
    expect(s.midLine).toBe(true);
    expect(s.push('lo\nwor')).toEqual(['hello']);
    expect(s.push('ld\r\n\nx')).toEqual(['world', '']);
    expect(s.flush()).toBe('x');
    expect(s.flush()).toBeNull();
  });

  it('keeps a UTF-8 character cut between two chunks whole', () => {
    const s = new LineSplitter();
    const bytes = Buffer.from('grüße\n', 'utf8');
    const cut = bytes.indexOf(0xc3) + 1;
    expect(s.push(bytes.subarray(0, cut))).toEqual([]);
    expect(s.push(bytes.subarray(cut))).toEqual(['grüße']);
    expect(s.midLine).toBe(false);
  });
});
