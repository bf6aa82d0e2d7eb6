import { StringDecoder } from 'node:string_decoder';

/**
 * Splits a stream of UTF-8 text into lines, keeping a partial last line (and a character cut
 * between chunks) until more arrives. A trailing `\r` is dropped.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private rest = '';
  private inLine = false;

  push(chunk: Buffer | string): string[] {
    if (chunk.length === 0) return [];
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const last = typeof chunk === 'string' ? chunk.charCodeAt(chunk.length - 1) : chunk.at(-1);
    this.inLine = last !== 0x0a;
    const parts = (this.rest + text).split('\n');
    this.rest = parts.pop() ?? '';
    return parts.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  }

  /** True while a line has begun but not ended. */
  get midLine(): boolean {
    return this.inLine;
  }

  /** The unterminated last line, if any; the splitter starts afresh. */
  flush(): string | null {
    const rest = this.rest + this.decoder.end();
    this.rest = '';
    this.inLine = false;
    return rest.length ? rest : null;
  }
}
