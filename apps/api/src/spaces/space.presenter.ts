import { Injectable } from '@nestjs/common';
import type { SpaceResource } from '@wharf/contracts';
import type { SpaceEntity } from '@wharf/identity';
import { ApiUrl } from '../common/api-url';
import { iso } from '../common/list.presenter';

@Injectable()
export class SpacePresenter {
  constructor(private readonly url: ApiUrl) {}

  present(space: SpaceEntity): SpaceResource {
    return {
      guid: space.guid,
      created_at: iso(space.createdAt),
      updated_at: iso(space.updatedAt),
      name: space.name,
      relationships: {
        organization: { data: { guid: space.organizationGuid } },
        quota: { data: space.spaceQuotaGuid ? { guid: space.spaceQuotaGuid } : null },
      },
      metadata: { labels: space.labels, annotations: space.annotations },
      links: {
        self: { href: this.url.to(`/v3/spaces/${space.guid}`) },
        organization: { href: this.url.to(`/v3/organizations/${space.organizationGuid}`) },
        ...(space.spaceQuotaGuid
          ? { quota: { href: this.url.to(`/v3/space_quotas/${space.spaceQuotaGuid}`) } }
          : {}),
      },
    };
  }
}
