import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { JobPayloads } from '@wharf/contracts';
import { RoleDeletion } from '@wharf/identity';
import { isUuid } from '@wharf/platform/db';
import { JobHandler, JobProcessor } from '@wharf/platform/queue';

@Injectable()
@JobHandler('role.delete')
export class RoleDeleteHandler implements JobProcessor<'role.delete'> {
  constructor(private readonly deletion: RoleDeletion) {}

  async handle(payload: JobPayloads['role.delete']): Promise<void> {
    if (!isUuid(payload?.jobGuid) || !isUuid(payload?.roleGuid)) {
      throw new UnrecoverableError('role.delete: payload needs jobGuid and roleGuid');
    }
    await this.deletion.run({ jobGuid: payload.jobGuid, roleGuid: payload.roleGuid });
  }
}
