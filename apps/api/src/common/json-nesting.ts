import { CommonErrorCode, commonError } from '@wharf/platform/errors';

/** As deep as CF's JSON parser reads a body (Ruby's default max_nesting). */
export const MAX_JSON_NESTING = 100;

/**
 * Refuses a JSON body nested deeper than `max` arrays/objects before it is parsed: what reads a
 * parsed body afterwards (class-transformer, PostgreSQL's jsonb) recurses, and a body of a few
 * hundred KB can nest deep enough to overflow the stack. Scans the UTF-8 bytes: no byte of a
 * multi-byte character is a bracket, a quote or a backslash, so strings are skipped exactly. Only
 * UTF-8 is read (the JSON standard's encoding), so the scan always sees the text as parsed.
 */
export function assertJsonNesting(body: Buffer, encoding: string, max = MAX_JSON_NESTING): void {
  if (encoding.toLowerCase() !== 'utf-8') {
    throw commonError(
      CommonErrorCode.MessageParseError,
      `Request invalid due to parse error: JSON must be UTF-8, not ${encoding}`,
    );
  }
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) {
        throw commonError(
          CommonErrorCode.MessageParseError,
          `Request invalid due to parse error: nested deeper than ${max} levels`,
        );
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
}
