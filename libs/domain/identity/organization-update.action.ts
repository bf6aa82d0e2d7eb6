import { Injectable } from '@nestjs/common';
import { mayManageOrganization, notAuthorized, Visibility } from '@wharf/access';
import type { AuditActor } from '@wharf/events';
import { isUniqueViolation } from '@wharf/platform/db';
import { JobBus } from '@wharf/platform/queue';
import { notFound } from '@wharf/platform/errors';
import { IdentityAudit } from './identity-audit';
import { IdentityErrorCode, identityError } from './identity.errors';
import { MetadataPatch, mergeMetadata } from './metadata';
import { OrganizationEntity } from './organization.entity';
import { OrganizationRepository } from './organization.repository';

export interface OrganizationUpdateInput {
  scope: Visibility;
  guid: string;
  actor: AuditActor;
  name?: string;
  suspended?: boolean;
  metadata?: MetadataPatch;
}

@Injectable()
export class OrganizationUpdateAction {
  constructor(
    private readonly orgs: OrganizationRepository,
    private readonly audit: IdentityAudit,
    private readonly jobs: JobBus,
  ) {}

  async execute(input: OrganizationUpdateInput): Promise<OrganizationEntity> {
    const org = await this.orgs.findVisible(input.scope, input.guid);
    if (!org) throw notFound('Organization');
    if (!mayManageOrganization(input.scope, org.guid)) throw notAuthorized();
    if (input.name !== undefined && input.name !== org.name) {
      const other = await this.orgs.findByNameUnscoped(input.name);
      if (other) {
        throw identityError(
          IdentityErrorCode.OrganizationNameTaken,
          `Organization '${input.name}' already exists.`,
        );
      }
      org.name = input.name;
    }
    if (input.suspended !== undefined) org.suspended = input.suspended;
    org.labels = mergeMetadata(org.labels, input.metadata?.labels);
    org.annotations = mergeMetadata(org.annotations, input.metadata?.annotations);
    try {
      // The change and its event commit together.
      return await this.jobs.transaction(async (tx) => {
        const saved = await this.orgs.save(org, tx.manager);
        await this.audit.organization(
          input.actor,
          'update',
          saved,
          { name: input.name, suspended: input.suspended, metadata: input.metadata },
          tx.manager,
        );
        return saved;
      });
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw identityError(
          IdentityErrorCode.OrganizationNameTaken,
          `Organization '${input.name ?? ''}' already exists.`,
        );
      }
      throw err;
    }
  }
}
