import { formatTable } from './table.formatter';

/** The part of a stream the UI needs; `isTTY` decides whether to style output. */
export interface OutputStream {
  write(chunk: string): boolean;
  isTTY?: boolean;
}

/**
 * cf's output conventions: progress and results on stdout, errors and FAILED on stderr, styling
 * only when the stream is a terminal and NO_COLOR is not set.
 */
export class TerminalUi {
  constructor(
    private readonly out: OutputStream,
    private readonly err: OutputStream,
    private readonly colorAllowed = true,
  ) {}

  say(line = ''): void {
    this.out.write(`${line}\n`);
  }

  /** Text as it comes (no newline added), e.g. a response body or commander's help. */
  write(text: string): void {
    this.out.write(text);
  }

  writeError(text: string): void {
    this.err.write(text);
  }

  warn(line: string): void {
    this.err.write(`${line}\n`);
  }

  ok(): void {
    this.say(this.styled(this.out) ? `\u001b[1;32mOK\u001b[0m` : 'OK');
  }

  failed(message?: string): void {
    if (message) this.err.write(`${message}\n`);
    this.err.write(this.styled(this.err) ? `\u001b[1;31mFAILED\u001b[0m\n` : 'FAILED\n');
  }

  table(header: readonly string[], rows: readonly (readonly string[])[]): void {
    this.out.write(formatTable(rows, { header, boldHeader: this.styled(this.out) }));
  }

  /** `label:   value` lines aligned like cf's `target` output. */
  keyValues(pairs: readonly (readonly [string, string])[]): void {
    this.out.write(formatTable(pairs.map(([k, v]) => [`${k}:`, v])));
  }

  /** Whether stdout is a terminal (progress may rewrite its line). */
  isTerminal(): boolean {
    return this.out.isTTY === true;
  }

  private styled(stream: OutputStream): boolean {
    return this.colorAllowed && stream.isTTY === true;
  }
}
