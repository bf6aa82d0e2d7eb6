import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { JobPayloads } from '@wharf/contracts';
import { OrganizationDeletion } from '@wharf/identity';
import { isUuid } from '@wharf/platform/db';
import { JobHandler, JobProcessor } from '@wharf/platform/queue';

@Injectable()
@JobHandler('organization.delete')
export class OrganizationDeleteHandler implements JobProcessor<'organization.delete'> {
  constructor(private readonly deletion: OrganizationDeletion) {}

  async handle(payload: JobPayloads['organization.delete']): Promise<void> {
    if (!isUuid(payload?.jobGuid) || !isUuid(payload?.organizationGuid)) {
      throw new UnrecoverableError(
        'organization.delete: payload needs jobGuid and organizationGuid',
      );
    }
    await this.deletion.run({
      jobGuid: payload.jobGuid,
      organizationGuid: payload.organizationGuid,
    });
  }
}
