import { Injectable } from '@nestjs/common';
import { RolloutFacts } from './deployment-rollout';
import { DeploymentCanceler } from './deployment-canceler';
import { DeploymentRepository } from './deployment.repository';

/**
 * What the scheduler's pass means for the deployment rolling the app out: a canary whose
 * instance is routed pauses; a rollout whose version runs everywhere, and nothing older, is
 * DEPLOYED; a canceled one whose old version is back is CANCELED; and a deployment whose new
 * instance crashed or never became healthy is canceled, leaving the old version serving.
 * Returns whether the app changed (a cancel): the scheduler converges it again.
 */
@Injectable()
export class DeploymentProgressAction {
  constructor(
    private readonly deployments: DeploymentRepository,
    private readonly canceler: DeploymentCanceler,
  ) {}

  async execute(input: {
    appGuid: string;
    deploymentGuid: string;
    facts: RolloutFacts;
  }): Promise<boolean> {
    const deployment = await this.deployments.findByGuidUnscoped(input.deploymentGuid);
    if (!deployment || deployment.statusValue !== 'ACTIVE') return false;
    const { facts } = input;
    const healthy =
      facts.lastHealthyAt &&
      (!deployment.lastHealthyAt || facts.lastHealthyAt > deployment.lastHealthyAt)
        ? { lastHealthyAt: facts.lastHealthyAt }
        : {};
    switch (deployment.statusReason) {
      case 'DEPLOYING':
      case 'PAUSED':
        if (facts.failure) return this.canceler.cancel(deployment, { error: facts.failure });
        if (deployment.strategy === 'canary' && !deployment.promoted) {
          if (deployment.statusReason === 'DEPLOYING' && facts.routable > 0) {
            await this.deployments.transition(deployment.guid, ['DEPLOYING'], {
              statusReason: 'PAUSED',
              ...healthy,
            });
            return false;
          }
        } else if (facts.settled) {
          await this.deployments.transition(deployment.guid, ['DEPLOYING'], {
            statusValue: 'FINALIZED',
            statusReason: 'DEPLOYED',
            ...healthy,
          });
          return false;
        }
        break;
      case 'CANCELING':
        if (facts.settled) {
          await this.deployments.transition(deployment.guid, ['CANCELING'], {
            statusValue: 'FINALIZED',
            statusReason: 'CANCELED',
          });
          return false;
        }
        break;
      case 'DEPLOYED':
      case 'CANCELED':
      case 'SUPERSEDED':
        return false;
    }
    if (healthy.lastHealthyAt) {
      await this.deployments.transition(deployment.guid, [deployment.statusReason], healthy);
    }
    return false;
  }
}
