import { Injectable } from '@nestjs/common';
import type { RoleResource, UserResource } from '@wharf/contracts';
import type { RoleEntity, UserEntity } from '@wharf/identity';
import { ApiUrl } from '../common/api-url';
import { iso } from '../common/list.presenter';

@Injectable()
export class RolePresenter {
  constructor(private readonly url: ApiUrl) {}

  present(role: RoleEntity): RoleResource {
    const links: RoleResource['links'] = {
      self: { href: this.url.to(`/v3/roles/${role.guid}`) },
      user: { href: this.url.to(`/v3/users/${role.userGuid}`) },
    };
    if (role.spaceGuid) links.space = { href: this.url.to(`/v3/spaces/${role.spaceGuid}`) };
    else links.organization = { href: this.url.to(`/v3/organizations/${role.organizationGuid}`) };
    return {
      guid: role.guid,
      created_at: iso(role.createdAt),
      updated_at: iso(role.updatedAt),
      type: role.type,
      relationships: {
        user: { data: { guid: role.userGuid } },
        organization: { data: role.spaceGuid ? null : { guid: role.organizationGuid } },
        space: { data: role.spaceGuid ? { guid: role.spaceGuid } : null },
      },
      links,
    };
  }

  presentUser(user: UserEntity): UserResource {
    return {
      guid: user.guid,
      created_at: iso(user.createdAt),
      updated_at: iso(user.updatedAt),
      username: user.username,
      presentation_name: user.username,
      origin: user.origin,
      metadata: { labels: user.labels, annotations: user.annotations },
      links: { self: { href: this.url.to(`/v3/users/${user.guid}`) } },
    };
  }
}
