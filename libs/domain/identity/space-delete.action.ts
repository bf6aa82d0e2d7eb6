import { Injectable } from '@nestjs/common';
import { notFound } from '@wharf/platform/errors';
import { UserJobLauncher } from '@wharf/platform/queue';
import { IdentityErrorCode, identityError } from './identity.errors';
import type { Principal } from '@wharf/access';
import { SpaceContentsRegistry } from './space-contents.port';
import { SpaceRepository } from './space.repository';
import { mayManageOrganization, notAuthorized, Visibility } from '@wharf/access';

/** Accepts the deletion of an empty space (job + worker); a space with contents is refused. */
@Injectable()
export class SpaceDeleteAction {
  constructor(
    private readonly spaces: SpaceRepository,
    private readonly launcher: UserJobLauncher,
    private readonly contents: SpaceContentsRegistry,
  ) {}

  async execute(input: {
    scope: Visibility;
    principal: Principal;
    guid: string;
  }): Promise<{ jobGuid: string }> {
    const space = await this.spaces.findVisible(input.scope, input.guid);
    if (!space) throw notFound('Space');
    if (!mayManageOrganization(input.scope, space.organizationGuid)) throw notAuthorized();
    const contents = await this.contents.describe(space.guid);
    if (contents) {
      throw identityError(
        IdentityErrorCode.SpaceNotEmpty,
        `Space '${space.name}' still contains ${contents}. Delete them first.`,
      );
    }
    return this.launcher.launch(
      'space.delete',
      {
        operation: 'space.delete',
        resourceType: 'space',
        resourceGuid: space.guid,
        userGuid: input.principal.userGuid,
      },
      { organizationGuid: space.organizationGuid, spaceGuid: space.guid },
    );
  }
}
