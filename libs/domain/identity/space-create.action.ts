import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { mayManageOrganization, notAuthorized, Visibility } from '@wharf/access';
import type { AuditActor } from '@wharf/events';
import { isUniqueViolation } from '@wharf/platform/db';
import { JobBus } from '@wharf/platform/queue';
import { IdentityAudit } from './identity-audit';
import { IdentityErrorCode, identityError } from './identity.errors';
import { MetadataPatch, mergeMetadata } from './metadata';
import { OrganizationRepository } from './organization.repository';
import { SpaceEntity } from './space.entity';
import { SpaceRepository } from './space.repository';

export interface SpaceCreateInput {
  scope: Visibility;
  /** Who is recorded on the audit event; null for the platform's own setup (none recorded). */
  actor: AuditActor | null;
  name: string;
  organizationGuid: string;
  metadata?: MetadataPatch;
}

@Injectable()
export class SpaceCreateAction {
  constructor(
    private readonly orgs: OrganizationRepository,
    private readonly spaces: SpaceRepository,
    private readonly audit: IdentityAudit,
    private readonly jobs: JobBus,
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
      // The space and its event commit together.
      return await this.jobs.transaction(async (tx) => {
        const space = await this.spaces.save(
          this.spaces.create({
            guid: randomUUID(),
            name: input.name,
            organizationGuid: org.guid,
            labels: mergeMetadata({}, input.metadata?.labels),
            annotations: mergeMetadata({}, input.metadata?.annotations),
          }),
          tx.manager,
        );
        await this.audit.space(
          input.actor,
          'create',
          space,
          { name: input.name, metadata: input.metadata },
          tx.manager,
        );
        return space;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw taken();
      throw err;
    }
  }
}
