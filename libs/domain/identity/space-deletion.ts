import { Injectable } from '@nestjs/common';
import { JobRecordRepository } from '@wharf/platform/queue';
import { IDENTITY_ERRORS } from './identity.errors';
import { SpaceContentsRegistry } from './space-contents.port';
import { SpaceRepository } from './space.repository';

/** The work of a `space.delete` job; a space already gone counts as deleted. */
@Injectable()
export class SpaceDeletion {
  constructor(
    private readonly spaces: SpaceRepository,
    private readonly jobs: JobRecordRepository,
    private readonly contents: SpaceContentsRegistry,
  ) {}

  async run({ jobGuid, spaceGuid }: { jobGuid: string; spaceGuid: string }): Promise<void> {
    const space = await this.spaces.findByGuidUnscoped(spaceGuid);
    if (space) {
      // Something created after the request was accepted makes the space non-empty again.
      const contents = await this.contents.describe(space.guid);
      if (contents) {
        const e = IDENTITY_ERRORS.SpaceNotEmpty;
        await this.jobs.fail(jobGuid, {
          code: e.code,
          title: e.title,
          detail: `Space '${space.name}' got ${contents} while it was being deleted; it was kept.`,
        });
        return;
      }
      await this.spaces.delete(space.guid);
    }
    await this.jobs.complete(jobGuid);
  }
}
