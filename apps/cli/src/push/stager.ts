import type { BuildResource, PackageResource } from '@wharf/contracts';
import { CliError } from '../errors/cli.error';
import type { ApiClient } from '../http/api.client';
import type { TerminalUi } from '../ui/terminal.ui';
import { LogReader, payloadOf } from './log-reader';
import { START_TIPS } from './start-waiter';

/**
 * Stages a ready package, printing the `[STG]` lines as they come, indented as cf does; the
 * droplet's guid, or "Error staging application" with the build's error.
 */
export async function stagePackage(
  client: ApiClient,
  ui: TerminalUi,
  app: { guid: string; name: string },
  pkg: PackageResource,
  options: { pollMs?: number } = {},
): Promise<string> {
  const build = await client.post<BuildResource>('/v3/builds', { package: { guid: pkg.guid } });
  const since = BigInt(Date.parse(build.created_at) - 1000) * 1_000_000n;
  const logs = new LogReader(client, app.guid, since);
  const print = async () => {
    const lines = await logs.poll().catch(() => []);
    for (const e of lines) if (e.tags.source_type === 'STG') ui.say(`   ${payloadOf(e)}`);
  };
  let current = build;
  while (current.state === 'STAGING') {
    await new Promise((r) => setTimeout(r, options.pollMs ?? 250));
    await print();
    current = await client.get<BuildResource>(`/v3/builds/${build.guid}`);
  }
  await print();
  if (current.state === 'FAILED' || !current.droplet) {
    throw new CliError(
      `Error staging application: ${current.error ?? 'staging failed'}\n\n${START_TIPS.logs(app.name)}`,
    );
  }
  return current.droplet.guid;
}
