import { mergeMetadata } from './metadata';

describe('mergeMetadata', () => {
  it('merges keys and deletes those set to null', () => {
    expect(mergeMetadata({ a: '1', b: '2' }, { b: null, c: '3' })).toEqual({ a: '1', c: '3' });
  });
  it('keeps the current map when there is no patch', () => {
    const current = { a: '1' };
    expect(mergeMetadata(current, undefined)).toBe(current);
  });
});
