import { CliError } from './cli.error';

/** The token endpoint refused a grant; `error` is UAA's code (e.g. `unauthorized`, `invalid_grant`). */
export class UaaError extends CliError {
  constructor(
    readonly status: number,
    readonly error: string,
    description: string,
  ) {
    super(description);
    this.name = 'UaaError';
  }

  /** Bad username/password or a dead refresh token, as opposed to a broken request. */
  get rejected(): boolean {
    return this.status === 401 || this.error === 'unauthorized' || this.error === 'invalid_grant';
  }
}
