/** Splits a stream of text into lines, keeping a partial last line until more text arrives. */
export class LineSplitter {
  private rest = '';

  push(text: string): string[] {
    const parts = (this.rest + text).split('\n');
    this.rest = parts.pop() ?? '';
    return parts.map((l) => l.replace(/\r$/, ''));
  }

  /** The unterminated last line, if any. */
  flush(): string | null {
    const rest = this.rest;
    this.rest = '';
    return rest.length ? rest : null;
  }
}
