/**
 * A failure to report to the user: main prints the message and then FAILED on stderr, and exits
 * with `exitCode`. Anything else thrown is a bug and is reported the same way.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }

  static noApi(): CliError {
    return new CliError("No API endpoint set. Use 'wharf login' to set an endpoint.");
  }

  static notLoggedIn(): CliError {
    return new CliError("Not logged in. Use 'wharf login' to log in.");
  }

  static noOrg(): CliError {
    return new CliError("No org targeted, use 'wharf target -o ORG' to target an org.");
  }
}
