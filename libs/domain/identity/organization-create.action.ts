import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { isUniqueViolation } from '@wharf/platform/db';
import { CommonErrorCode, commonError } from '@wharf/platform/errors';
import { IdentityErrorCode, identityError } from './identity.errors';
import { MetadataPatch, mergeMetadata } from './metadata';
import { OrganizationEntity } from './organization.entity';
import { OrganizationRepository } from './organization.repository';

export interface OrganizationCreateInput {
  /** Creating organizations is an admin's job (CF's user_org_creation flag is off by default). */
  actor: { admin: boolean };
  name: string;
  suspended?: boolean;
  metadata?: MetadataPatch;
}

@Injectable()
export class OrganizationCreateAction {
  constructor(private readonly orgs: OrganizationRepository) {}

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
    try {
      return await this.orgs.save(
        this.orgs.create({
          guid: randomUUID(),
          name: input.name,
          suspended: input.suspended ?? false,
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
