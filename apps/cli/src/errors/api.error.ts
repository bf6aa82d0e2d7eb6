import type { CfError } from '@wharf/contracts';
import { CliError } from './cli.error';

/** The API answered a typed call with a non-2xx status; `errors` is CF's error envelope. */
export class ApiError extends CliError {
  constructor(
    readonly status: number,
    readonly errors: CfError[],
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  hasTitle(title: string): boolean {
    return this.errors.some((e) => e.title === title);
  }

  /** CF answers a duplicate name with 422 and a "must be unique"/"already exists" detail. */
  get nameTaken(): boolean {
    return this.status === 422 && /unique|already (exists|taken)|is taken/i.test(this.message);
  }
}
