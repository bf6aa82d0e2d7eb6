import { createInterface } from 'node:readline/promises';

/** Questions a command may ask; commands check `interactive` before asking. */
export interface Prompter {
  readonly interactive: boolean;
  input(message: string): Promise<string>;
  password(message: string): Promise<string>;
  /** A `[yN]` question: anything but y/yes is no. */
  confirm(message: string): Promise<boolean>;
}

/**
 * Prompts on the process's terminal. @inquirer/prompts is ESM-only and loaded on first use
 * (Node >= 20.19 can require it), so commands that never prompt never load it.
 */
export class TerminalPrompter implements Prompter {
  constructor(
    private readonly stdin: NodeJS.ReadStream,
    private readonly stdout: NodeJS.WriteStream,
  ) {}

  get interactive(): boolean {
    return this.stdin.isTTY === true;
  }

  async input(message: string): Promise<string> {
    const { input } = await import('@inquirer/prompts');
    return input({ message, required: true });
  }

  async password(message: string): Promise<string> {
    const { password } = await import('@inquirer/prompts');
    return password({ message });
  }

  async confirm(message: string): Promise<boolean> {
    const rl = createInterface({ input: this.stdin, output: this.stdout });
    try {
      const answer = await rl.question(`${message} [yN]: `);
      return /^y(es)?$/i.test(answer.trim());
    } finally {
      rl.close();
    }
  }
}
