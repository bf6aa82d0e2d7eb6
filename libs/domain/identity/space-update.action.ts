import { Injectable } from '@nestjs/common';
import { mayManageSpace, notAuthorized, Visibility } from '@wharf/access';
import type { AuditActor } from '@wharf/events';
import { isUniqueViolation } from '@wharf/platform/db';
import { JobBus } from '@wharf/platform/queue';
import { notFound } from '@wharf/platform/errors';
import { IdentityAudit } from './identity-audit';
import { IdentityErrorCode, identityError } from './identity.errors';
import { MetadataPatch, mergeMetadata } from './metadata';
import { SpaceEntity } from './space.entity';
import { SpaceRepository } from './space.repository';

export interface SpaceUpdateInput {
  scope: Visibility;
  guid: string;
  actor: AuditActor;
  name?: string;
  metadata?: MetadataPatch;
}

@Injectable()
export class SpaceUpdateAction {
  constructor(
    private readonly spaces: SpaceRepository,
    private readonly audit: IdentityAudit,
    private readonly jobs: JobBus,
  ) {}

  async execute(input: SpaceUpdateInput): Promise<SpaceEntity> {
    const space = await this.spaces.findVisible(input.scope, input.guid);
    if (!space) throw notFound('Space');
    if (!mayManageSpace(input.scope, space)) throw notAuthorized();
    const taken = () =>
      identityError(
        IdentityErrorCode.SpaceNameTaken,
        `Space '${input.name ?? ''}' already exists in this organization.`,
      );
    if (input.name !== undefined && input.name !== space.name) {
      if (await this.spaces.findByNameInOrganization(space.organizationGuid, input.name))
        throw taken();
      space.name = input.name;
    }
    space.labels = mergeMetadata(space.labels, input.metadata?.labels);
    space.annotations = mergeMetadata(space.annotations, input.metadata?.annotations);
    try {
      // The change and its event commit together.
      return await this.jobs.transaction(async (tx) => {
        const saved = await this.spaces.save(space, tx.manager);
        await this.audit.space(
          input.actor,
          'update',
          saved,
          { name: input.name, metadata: input.metadata },
          tx.manager,
        );
        return saved;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw taken();
      throw err;
    }
  }
}
