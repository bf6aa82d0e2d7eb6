import type { CliContext } from '../cli.context';
import type { ApiClient } from '../http/api.client';
import { currentInstanceGuids, waitForStart } from './start-waiter';

/**
 * After a change to a started app's environment (set-env, bind-service, uups, ...): where cf
 * prints a tip to restage, Wharf restarts the app (instances replaced one at a time) so the change
 * is live when the command returns; with --no-restart it prints the tip instead.
 */
export async function restartToApply(
  ui: CliContext['ui'],
  client: ApiClient,
  app: { guid: string; name: string; state: string },
  restart: boolean,
): Promise<void> {
  if (app.state !== 'STARTED') return;
  ui.say();
  if (!restart) {
    ui.say(`TIP: Use 'wharf restart ${app.name}' to ensure your env variable changes take effect`);
    return;
  }
  ui.say(`Restarting app ${app.name} to apply the change...`);
  const replacing = await currentInstanceGuids(client, app);
  await client.post(`/v3/apps/${app.guid}/actions/restart`, {});
  await waitForStart(client, app, { replacing });
  ui.say(`App ${app.name} restarted.`);
}
