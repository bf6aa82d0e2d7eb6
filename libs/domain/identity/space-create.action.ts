import { isUniqueViolation } from '@wharf/platform/db';
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { IdentityErrorCode, identityError } from './identity.errors';
import { MetadataPatch, mergeMetadata } from './metadata';
import { OrganizationRepository } from './organization.repository';
import { SpaceEntity } from './space.entity';
import { SpaceRepository } from './space.repository';
import { mayManageOrganization, notAuthorized, Visibility } from '@wharf/access';

export interface SpaceCreateInput {
  scope: Visibility;
  name: string;
  organizationGuid: string;
  metadata?: MetadataPatch;
}

@Injectable()
export class SpaceCreateAction {
  constructor(
    private readonly orgs: OrganizationRepository,
    private readonly spaces: SpaceRepository,
  ) {}

  async execute(input: SpaceCreateInput): Promise<SpaceEntity> {
    const org = await this.orgs.findVisible(input.scope, input.organizationGuid);
    if (!org) {
      throw identityError(
        IdentityErrorCode.InvalidRelationship,
        'Invalid organization. Ensure the organization exists and you have access to it.',
      );
    }
    if (!mayManageOrganization(input.scope, org.guid)) throw notAuthorized();
    const taken = () =>
      identityError(
        IdentityErrorCode.SpaceNameTaken,
        `Space '${input.name}' already exists in organization '${org.name}'.`,
      );
    if (await this.spaces.findByNameInOrganization(org.guid, input.name)) throw taken();
    try {
      return await this.spaces.save(
        this.spaces.create({
          guid: randomUUID(),
          name: input.name,
          organizationGuid: org.guid,
          labels: mergeMetadata({}, input.metadata?.labels),
          annotations: mergeMetadata({}, input.metadata?.annotations),
        }),
      );
    } catch (err) {
      if (isUniqueViolation(err)) throw taken();
      throw err;
    }
  }
}
