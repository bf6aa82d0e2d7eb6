import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { isUniqueViolation } from '@wharf/platform/db';
import { CommonErrorCode, commonError } from '@wharf/platform/errors';
import { IdentityErrorCode, identityError } from './identity.errors';
import { MetadataPatch, mergeMetadata } from './metadata';
import { OrganizationEntity } from './organization.entity';
import { OrganizationRepository } from './organization.repository';
import { DEFAULT_ORGANIZATION_QUOTA_NAME } from './organization-quota.entity';
import { OrganizationQuotaRepository } from './organization-quota.repository';

export interface OrganizationCreateInput {
  /** Creating organizations is an admin's job (CF's user_org_creation flag is off by default). */
  actor: { admin: boolean };
  name: string;
  suspended?: boolean;
  metadata?: MetadataPatch;
}

@Injectable()
export class OrganizationCreateAction {
  constructor(
    private readonly orgs: OrganizationRepository,
    private readonly quotas: OrganizationQuotaRepository,
  ) {}

  async execute(input: OrganizationCreateInput): Promise<OrganizationEntity> {
    if (!input.actor.admin) {
      throw commonError(
        CommonErrorCode.NotAuthorized,
        'You are not authorized to perform the requested action',
      );
    }
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
      return await this.orgs.save(
        this.orgs.create({
          guid: randomUUID(),
          name: input.name,
          suspended: input.suspended ?? false,
          quotaGuid: quota.guid,
          labels: mergeMetadata({}, input.metadata?.labels),
          annotations: mergeMetadata({}, input.metadata?.annotations),
        }),
      );
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
