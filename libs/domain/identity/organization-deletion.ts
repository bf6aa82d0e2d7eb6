import { Injectable } from '@nestjs/common';
import { JobRecordRepository } from '@wharf/platform/queue';
import { IDENTITY_ERRORS } from './identity.errors';
import { OrganizationRepository } from './organization.repository';
import { SpaceRepository } from './space.repository';

/** The work of an `organization.delete` job; an organization already gone counts as deleted. */
@Injectable()
export class OrganizationDeletion {
  constructor(
    private readonly orgs: OrganizationRepository,
    private readonly spaces: SpaceRepository,
    private readonly jobs: JobRecordRepository,
  ) {}

  async run({
    jobGuid,
    organizationGuid,
  }: {
    jobGuid: string;
    organizationGuid: string;
  }): Promise<void> {
    const org = await this.orgs.findByGuidUnscoped(organizationGuid);
    if (org) {
      // A space created after the request was accepted makes the org non-empty again.
      if ((await this.spaces.countInOrganization(org.guid)) > 0) {
        const e = IDENTITY_ERRORS.OrganizationNotEmpty;
        await this.jobs.fail(jobGuid, {
          code: e.code,
          title: e.title,
          detail: `Organization '${org.name}' got a new space while it was being deleted; it was kept.`,
        });
        return;
      }
      await this.orgs.delete(org.guid);
    }
    await this.jobs.complete(jobGuid);
  }
}
