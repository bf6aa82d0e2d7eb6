import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { JobPayloads } from '@wharf/contracts';
import { isUuid } from '@wharf/platform/db';
import { JobHandler, JobProcessor, JobRecordRepository } from '@wharf/platform/queue';
import { RoleRepository } from './role.repository';

/** Removes a role; one already gone counts as removed. */
@Injectable()
@JobHandler('role.delete')
export class RoleDeleteProcessor implements JobProcessor<'role.delete'> {
  constructor(
    private readonly roles: RoleRepository,
    private readonly jobs: JobRecordRepository,
  ) {}

  async handle(payload: JobPayloads['role.delete']): Promise<void> {
    if (!isUuid(payload?.jobGuid) || !isUuid(payload?.roleGuid)) {
      throw new UnrecoverableError('role.delete: payload needs jobGuid and roleGuid');
    }
    await this.roles.delete(payload.roleGuid);
    await this.jobs.complete(payload.jobGuid);
  }
}
