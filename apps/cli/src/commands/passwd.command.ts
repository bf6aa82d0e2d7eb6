import type { Command } from 'commander';
import type { CliContext } from '../cli.context';
import { CliError } from '../errors/cli.error';
import { isRecord, parseJson } from '../http/json';

/** The `user_id` claim of a JWT access token (read, not verified: the API verifies it). */
function userIdOf(accessToken: string | undefined): string | null {
  const payload = accessToken?.split('.')[1];
  if (!payload) return null;
  const claims = parseJson(Buffer.from(payload, 'base64url').toString('utf8'));
  return isRecord(claims) && typeof claims.user_id === 'string' ? claims.user_id : null;
}

/**
 * `wharf passwd`: change the logged-in user's password (UAA's PUT /Users/:id/password on the
 * token host, which is the API's). Every session of the user ends, this one too (the API refuses
 * its token from then on): the stored session is dropped and, as cf does, the user is told to log
 * in again.
 */
export class PasswdCommand {
  constructor(private readonly ctx: CliContext) {}

  register(program: Command): void {
    program
      .command('passwd')
      .alias('pw')
      .description("Change the logged-in user's password")
      .action(() => this.run());
  }

  async run(): Promise<void> {
    const { ui, prompter, store } = this.ctx;
    const config = await this.ctx.loggedIn();
    if (!prompter.interactive)
      throw new CliError('wharf passwd asks for the passwords: run it in a terminal.');
    const current = await prompter.password('Current password:');
    const next = await prompter.password('New password:');
    if ((await prompter.password('Verify password:')) !== next)
      throw new CliError('Password verification does not match.');
    ui.say(`Changing password for user ${config.user ?? ''}...`);
    const client = this.ctx.apiClient(config.target);
    // The token may have been refreshed on the way: read the user from the stored session.
    const userGuid = userIdOf((await store.load()).accessToken);
    if (!userGuid) throw new CliError('Not logged in. Use wharf login to log in.');
    const res = await client.raw('PUT', `/Users/${userGuid}/password`, {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ oldPassword: current, password: next }),
    });
    if (res.status !== 200) {
      const body = parseJson(res.body);
      const detail =
        isRecord(body) && typeof body.error_description === 'string'
          ? body.error_description
          : `HTTP ${res.status}`;
      throw new CliError(
        detail === 'Old password is incorrect' ? 'Current password did not match.' : detail,
      );
    }
    await store.save({ target: config.target });
    ui.ok();
    ui.say('Please log in again.');
  }
}
