import { Injectable } from '@nestjs/common';
import { JobRecordRepository } from '@wharf/platform/queue';
import { RoleRepository } from './role.repository';

/** The work of a `role.delete` job: removes a role; one already gone counts as removed. */
@Injectable()
export class RoleDeletion {
  constructor(
    private readonly roles: RoleRepository,
    private readonly jobs: JobRecordRepository,
  ) {}

  async run({ jobGuid, roleGuid }: { jobGuid: string; roleGuid: string }): Promise<void> {
    await this.roles.delete(roleGuid);
    await this.jobs.complete(jobGuid);
  }
}
