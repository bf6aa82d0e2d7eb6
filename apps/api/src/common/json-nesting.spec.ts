import { DomainError } from '@wharf/platform/errors';
import { assertJsonNesting } from './json-nesting';

describe('assertJsonNesting', () => {
  const utf8 = (text: string) => Buffer.from(text, 'utf8');

  it('takes a body nested up to the limit, brackets inside strings not counted', () => {
    expect(() => assertJsonNesting(utf8('[[{"a":"[[[[\\"{{{{"}]]'), 'utf-8', 3)).not.toThrow();
    expect(() => assertJsonNesting(utf8('{"é[":["ü{"]}'), 'utf-8', 2)).not.toThrow();
  });

  it('refuses one level more with a parse error that says why', () => {
    expect(() => assertJsonNesting(utf8('[[[[1]]]]'), 'utf-8', 3)).toThrow(
      'nested deeper than 3 levels',
    );
    expect(() => assertJsonNesting(utf8('{"a":{"b":[[1]]}}'), 'utf-8', 3)).toThrow(DomainError);
  });

  it('reads UTF-8 only', () => {
    expect(() => assertJsonNesting(Buffer.from('[1]', 'utf16le'), 'utf-16le')).toThrow(
      'JSON must be UTF-8',
    );
  });
});
