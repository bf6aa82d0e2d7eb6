import type { CliContext } from '../cli.context';
import type { CliConfig } from '../config/cli-config.store';
import { apiVersionOf } from '../http/root-document';

/** `API version` from GET /; a missing or unreachable root just omits the line. */
export async function apiVersion(ctx: CliContext, apiUrl: string): Promise<string | undefined> {
  try {
    return apiVersionOf(await ctx.publicClient(apiUrl).root());
  } catch {
    return undefined;
  }
}

/** The block `target`, `login` and `api` print: endpoint, version, user, org, space. */
export async function showTarget(
  ctx: CliContext,
  config: CliConfig & { target: string },
  options: { session: boolean } = { session: true },
): Promise<void> {
  const pairs: [string, string][] = [['API endpoint', config.target]];
  const version = await apiVersion(ctx, config.target);
  if (version) pairs.push(['API version', version]);
  if (!options.session) {
    ctx.ui.keyValues(pairs);
    return;
  }
  if (config.user) pairs.push(['user', config.user]);
  if (config.org) pairs.push(['org', config.org.name]);
  if (config.space) pairs.push(['space', config.space.name]);
  ctx.ui.keyValues(pairs);
  if (!config.org) {
    ctx.ui.say("No org or space targeted, use 'wharf target -o ORG -s SPACE'");
  } else if (!config.space) {
    ctx.ui.say("No space targeted, use 'wharf target -s SPACE'");
  }
}
