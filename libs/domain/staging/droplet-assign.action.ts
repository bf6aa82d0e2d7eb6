import { Injectable } from '@nestjs/common';
import { AppCurrentDropletSetAction, AppEntity } from '@wharf/apps';
import type { AuditActor } from '@wharf/events';
import { Visibility } from '@wharf/access';
import { DropletRepository } from './droplet.repository';
import { StagingErrorCode, stagingError } from './staging.errors';

/** PATCH /v3/apps/:guid/relationships/current_droplet: a staged droplet of that app only. */
@Injectable()
export class DropletAssignAction {
  constructor(
    private readonly droplets: DropletRepository,
    private readonly setCurrent: AppCurrentDropletSetAction,
  ) {}

  async execute(input: {
    scope: Visibility;
    appGuid: string;
    dropletGuid: string;
    actor?: AuditActor;
  }): Promise<AppEntity> {
    const droplet = await this.droplets.findByGuidUnscoped(input.dropletGuid);
    if (!droplet || droplet.appGuid !== input.appGuid) {
      // Same answer for a droplet of another app: its existence is not the caller's business.
      throw stagingError(
        StagingErrorCode.DropletNotStaged,
        'Unable to assign current droplet. Ensure the droplet exists and belongs to this app.',
      );
    }
    if (droplet.state !== 'STAGED') {
      throw stagingError(
        StagingErrorCode.DropletNotStaged,
        'Droplet must be STAGED to be assigned.',
      );
    }
    return this.setCurrent.execute({
      scope: input.scope,
      appGuid: input.appGuid,
      droplet: { guid: droplet.guid, appGuid: droplet.appGuid, processTypes: droplet.processTypes },
      actor: input.actor,
    });
  }
}
