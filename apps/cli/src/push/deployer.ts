import type { DeploymentResource } from '@wharf/contracts';
import type { CliContext } from '../cli.context';
import { CliError } from '../errors/cli.error';
import type { SpaceTarget } from './space-target';
import { START_TIPS } from './start-waiter';

export type Strategy = 'rolling' | 'canary';

export interface DeployRequest {
  strategy: Strategy;
  maxInFlight?: number;
  /** The droplet to roll out; the app's current one when neither it nor a revision is given. */
  droplet?: string;
  /** A rollback: the revision's droplet, variables and commands. */
  revision?: string;
}

/** The --strategy and --max-in-flight flags of push, restart and restage, checked as cf does. */
export function strategyOf(o: { strategy?: string; maxInFlight?: string }): {
  strategy?: Strategy;
  maxInFlight?: number;
} {
  if (o.strategy !== undefined && o.strategy !== 'rolling' && o.strategy !== 'canary') {
    throw new CliError(
      `Incorrect Usage: Invalid value '${o.strategy}' for --strategy: use rolling or canary.`,
    );
  }
  if (o.maxInFlight !== undefined) {
    if (o.strategy === undefined) {
      throw new CliError(
        'Incorrect Usage: --max-in-flight must be used in combination with --strategy flag.',
      );
    }
    if (!/^[1-9]\d*$/.test(o.maxInFlight)) {
      throw new CliError('Incorrect Usage: --max-in-flight must be an integer greater than 0.');
    }
  }
  return {
    ...(o.strategy ? { strategy: o.strategy } : {}),
    ...(o.maxInFlight ? { maxInFlight: Number(o.maxInFlight) } : {}),
  };
}

/**
 * Creates a deployment and follows it, as cf does with --strategy: until it is DEPLOYED, or, for
 * a canary, PAUSED with its instance routed (then it says how to go on). A deployment the
 * platform canceled (its new instance crashed or never became healthy) fails with why; the app
 * still runs what it ran before.
 */
export async function deploy(
  ctx: CliContext,
  t: SpaceTarget,
  app: { guid: string; name: string },
  request: DeployRequest,
  options: { pollMs?: number; timeoutMs?: number } = {},
): Promise<DeploymentResource> {
  const { ui } = ctx;
  ui.say(`Creating deployment for app ${app.name}...`);
  const created = await t.client.post<DeploymentResource>('/v3/deployments', {
    relationships: { app: { data: { guid: app.guid } } },
    strategy: request.strategy,
    ...(request.maxInFlight ? { options: { max_in_flight: request.maxInFlight } } : {}),
    ...(request.droplet ? { droplet: { guid: request.droplet } } : {}),
    ...(request.revision ? { revision: { guid: request.revision } } : {}),
  });
  ui.say();
  ui.say('Waiting for app to deploy...');
  ui.say();
  return followDeployment(t, app, created.guid, options);
}

/** Polls a deployment until it is over (or paused): DEPLOYED or PAUSED returns, others fail. */
export async function followDeployment(
  t: SpaceTarget,
  app: { name: string },
  guid: string,
  options: { pollMs?: number; timeoutMs?: number } = {},
): Promise<DeploymentResource> {
  const pollMs = options.pollMs ?? 1000;
  const deadline = Date.now() + (options.timeoutMs ?? 15 * 60_000);
  for (;;) {
    const d = await t.client.get<DeploymentResource>(`/v3/deployments/${guid}`);
    if (d.status.reason === 'DEPLOYED' || d.status.reason === 'PAUSED') return d;
    if (d.status.value === 'FINALIZED') {
      const why = d.status.details.error ? `: ${d.status.details.error}` : '';
      throw new CliError(
        d.status.reason === 'CANCELED'
          ? `The deployment of app ${app.name} was canceled${why}. The app keeps running its previous version.\n\n${START_TIPS.logs(app.name)}`
          : `The deployment of app ${app.name} was superseded by another change of the app.`,
      );
    }
    if (Date.now() > deadline) {
      throw new CliError(
        `The deployment of app ${app.name} is still ${d.status.reason}; follow it with 'wharf app ${app.name}'.`,
      );
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/**
 * What the app summary says of an ACTIVE deployment (cf's wording), with how to go on from a
 * paused canary.
 */
export function sayActiveDeployment(ctx: CliContext, app: string, d: DeploymentResource): void {
  const { ui } = ctx;
  ui.say();
  ui.say(
    `Active deployment with status ${d.status.reason} (since ${d.status.details.last_status_change})`,
  );
  ui.say(`strategy:        ${d.strategy}`);
  ui.say(`max-in-flight:   ${d.options.max_in_flight}`);
  if (d.status.reason === 'PAUSED') {
    ui.say(
      `Please run \`wharf continue-deployment ${app}\` to promote the canary deployment, or \`wharf cancel-deployment ${app}\` to rollback to the previous version.`,
    );
  }
}

/** The app's ACTIVE deployment, if any. */
export async function activeDeployment(
  t: SpaceTarget,
  appGuid: string,
): Promise<DeploymentResource | null> {
  const [d] = await t.client.listAll<DeploymentResource>('/v3/deployments', {
    app_guids: appGuid,
    status_values: 'ACTIVE',
    order_by: '-created_at',
  });
  return d ?? null;
}
