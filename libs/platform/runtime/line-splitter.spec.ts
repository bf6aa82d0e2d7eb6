import { LineSplitter } from './line-splitter';

describe('LineSplitter', () => {
  it('keeps partial lines across chunks', () => {
    const s = new LineSplitter();
    expect(s.push('hel')).toEqual([]);
    expect(s.push('lo\nwor')).toEqual(['hello']);
    expect(s.push('ld\r\n\nx')).toEqual(['world', '']);
    expect(s.flush()).toBe('x');
    expect(s.flush()).toBeNull();
  });
});
