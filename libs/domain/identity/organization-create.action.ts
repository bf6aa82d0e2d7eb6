import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { notAuthorized, Visibility } from '@wharf/access';
import type { AuditActor } from '@wharf/events';
import { isUniqueViolation } from '@wharf/platform/db';
import { JobBus } from '@wharf/platform/queue';
import { IdentityAudit } from './identity-audit';
import { IdentityErrorCode, identityError } from './identity.errors';
import { MetadataPatch, mergeMetadata } from './metadata';
import { OrganizationEntity } from './organization.entity';
import { OrganizationRepository } from './organization.repository';
import { DEFAULT_ORGANIZATION_QUOTA_NAME } from './organization-quota.entity';
import { OrganizationQuotaRepository } from './organization-quota.repository';

export interface OrganizationCreateInput {
  /** Creating organizations is an admin's job (CF's user_org_creation flag is off by default). */
  scope: Visibility;
  /** Who is recorded on the audit event; null for the platform's own setup (none recorded). */
  actor: AuditActor | null;
  name: string;
  suspended?: boolean;
  metadata?: MetadataPatch;
}

@Injectable()
export class OrganizationCreateAction {
  constructor(
    private readonly orgs: OrganizationRepository,
    private readonly quotas: OrganizationQuotaRepository,
    private readonly audit: IdentityAudit,
    private readonly jobs: JobBus,
  ) {}

  async execute(input: OrganizationCreateInput): Promise<OrganizationEntity> {
    if (!input.scope.all) throw notAuthorized();
    if (await this.orgs.findByNameUnscoped(input.name)) {
      throw identityError(
        IdentityErrorCode.OrganizationNameTaken,
        `Organization '${input.name}' already exists.`,
      );
    }
    // Every organization has a quota: the seeded unlimited `default` until an admin applies another.
    const quota = await this.quotas.findByNameUnscoped(DEFAULT_ORGANIZATION_QUOTA_NAME);
    if (!quota) {
      throw identityError(
        IdentityErrorCode.DefaultQuotaMissing,
        `There is no organization quota named '${DEFAULT_ORGANIZATION_QUOTA_NAME}' for new organizations; create one first.`,
      );
    }
    try {
      // The organization and its event commit together.
      return await this.jobs.transaction(async (tx) => {
        const org = await this.orgs.save(
          this.orgs.create({
            guid: randomUUID(),
            name: input.name,
            suspended: input.suspended ?? false,
            quotaGuid: quota.guid,
            labels: mergeMetadata({}, input.metadata?.labels),
            annotations: mergeMetadata({}, input.metadata?.annotations),
          }),
          tx.manager,
        );
        await this.audit.organization(
          input.actor,
          'create',
          org,
          { name: input.name, suspended: input.suspended, metadata: input.metadata },
          tx.manager,
        );
        return org;
      });
    } catch (err) {
      // Two concurrent creates: the unique index decides, and the loser gets the same answer.
      if (isUniqueViolation(err)) {
        throw identityError(
          IdentityErrorCode.OrganizationNameTaken,
          `Organization '${input.name}' already exists.`,
        );
      }
      throw err;
    }
  }
}
