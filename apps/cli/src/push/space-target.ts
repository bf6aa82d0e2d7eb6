import type { AppResource } from '@wharf/contracts';
import type { CliContext, LoggedInConfig } from '../cli.context';
import { CliError } from '../errors/cli.error';
import type { ApiClient } from '../http/api.client';

export interface SpaceTarget {
  config: LoggedInConfig;
  client: ApiClient;
  spaceGuid: string;
  /** "in org O / space S as U" */
  where: string;
}

/** The logged-in, org- and space-targeted session app commands need. */
export async function spaceTarget(ctx: CliContext): Promise<SpaceTarget> {
  const config = await ctx.loggedIn();
  if (!config.org)
    throw new CliError("No org targeted, use 'wharf target -o ORG' to target an org.");
  if (!config.space) {
    throw new CliError("No space targeted, use 'wharf target -s SPACE' to target a space.");
  }
  return {
    config,
    client: ctx.apiClient(config.target),
    spaceGuid: config.space.guid,
    where: `in org ${config.org.name} / space ${config.space.name} as ${config.user}`,
  };
}

export async function findAppByName(t: SpaceTarget, name: string): Promise<AppResource | null> {
  const apps = await t.client.listAll<AppResource>('/v3/apps', {
    names: name,
    space_guids: t.spaceGuid,
  });
  return apps[0] ?? null;
}

export async function requireApp(t: SpaceTarget, name: string): Promise<AppResource> {
  const app = await findAppByName(t, name);
  if (!app) throw new CliError(`App '${name}' not found.`);
  return app;
}
