import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { JobPayloads } from '@wharf/contracts';
import { isUuid } from '@wharf/platform/db';
import { JobHandler, JobProcessor, JobRecordRepository } from '@wharf/platform/queue';
import { IDENTITY_ERRORS } from './identity.errors';
import { SpaceContentsRegistry } from './space-contents.port';
import { SpaceRepository } from './space.repository';

@Injectable()
@JobHandler('space.delete')
export class SpaceDeleteProcessor implements JobProcessor<'space.delete'> {
  constructor(
    private readonly spaces: SpaceRepository,
    private readonly jobs: JobRecordRepository,
    private readonly contents: SpaceContentsRegistry,
  ) {}

  async handle(payload: JobPayloads['space.delete']): Promise<void> {
    if (!isUuid(payload?.jobGuid) || !isUuid(payload?.spaceGuid)) {
      throw new UnrecoverableError('space.delete: payload needs jobGuid and spaceGuid');
    }
    const space = await this.spaces.findByGuidUnscoped(payload.spaceGuid);
    if (space) {
      const contents = await this.contents.describe(space.guid);
      if (contents) {
        const e = IDENTITY_ERRORS.SpaceNotEmpty;
        await this.jobs.fail(payload.jobGuid, {
          code: e.code,
          title: e.title,
          detail: `Space '${space.name}' got ${contents} while it was being deleted; it was kept.`,
        });
        return;
      }
      await this.spaces.delete(space.guid);
    }
    await this.jobs.complete(payload.jobGuid);
  }
}
