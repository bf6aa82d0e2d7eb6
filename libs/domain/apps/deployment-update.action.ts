import { Injectable } from '@nestjs/common';
import { Visibility } from '@wharf/access';
import { mergeMetadata, MetadataPatch } from '@wharf/identity';
import { DeploymentEntity } from './deployment.entity';
import { DeploymentRepository } from './deployment.repository';
import { DeploymentsQueryService } from './deployments-query.service';

/** PATCH /v3/deployments/:guid: its labels and annotations. */
@Injectable()
export class DeploymentUpdateAction {
  constructor(
    private readonly query: DeploymentsQueryService,
    private readonly deployments: DeploymentRepository,
  ) {}

  async execute(input: {
    scope: Visibility;
    guid: string;
    metadata?: MetadataPatch;
  }): Promise<DeploymentEntity> {
    const deployment = await this.query.getToChange(input.scope, input.guid);
    deployment.labels = mergeMetadata(deployment.labels, input.metadata?.labels);
    deployment.annotations = mergeMetadata(deployment.annotations, input.metadata?.annotations);
    return this.deployments.save(deployment);
  }
}
