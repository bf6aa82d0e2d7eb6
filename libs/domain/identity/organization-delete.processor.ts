import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { JobPayloads } from '@wharf/contracts';
import { JobHandler, JobProcessor, JobRecordRepository } from '@wharf/platform/queue';
import { IDENTITY_ERRORS } from './identity.errors';
import { OrganizationRepository } from './organization.repository';
import { SpaceRepository } from './space.repository';
import { isUuid } from '@wharf/platform/db';

@Injectable()
@JobHandler('organization.delete')
export class OrganizationDeleteProcessor implements JobProcessor<'organization.delete'> {
  constructor(
    private readonly orgs: OrganizationRepository,
    private readonly spaces: SpaceRepository,
    private readonly jobs: JobRecordRepository,
  ) {}

  async handle(payload: JobPayloads['organization.delete']): Promise<void> {
    if (!isUuid(payload?.jobGuid) || !isUuid(payload?.organizationGuid)) {
      throw new UnrecoverableError(
        'organization.delete: payload needs jobGuid and organizationGuid',
      );
    }
    const org = await this.orgs.findByGuidUnscoped(payload.organizationGuid);
    if (org) {
      // A space created after the request was accepted makes the org non-empty again.
      if ((await this.spaces.countInOrganization(org.guid)) > 0) {
        const e = IDENTITY_ERRORS.OrganizationNotEmpty;
        await this.jobs.fail(payload.jobGuid, {
          code: e.code,
          title: e.title,
          detail: `Organization '${org.name}' got a new space while it was being deleted; it was kept.`,
        });
        return;
      }
      await this.orgs.delete(org.guid);
    }
    await this.jobs.complete(payload.jobGuid);
  }
}
