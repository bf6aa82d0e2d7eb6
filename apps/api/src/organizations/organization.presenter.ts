import { Injectable } from '@nestjs/common';
import type { OrganizationResource } from '@wharf/contracts';
import type { OrganizationEntity } from '@wharf/identity';
import { ApiUrl } from '../common/api-url';
import { iso } from '../common/list.presenter';

@Injectable()
export class OrganizationPresenter {
  constructor(private readonly url: ApiUrl) {}

  present(org: OrganizationEntity): OrganizationResource {
    const self = this.url.to(`/v3/organizations/${org.guid}`);
    return {
      guid: org.guid,
      created_at: iso(org.createdAt),
      updated_at: iso(org.updatedAt),
      name: org.name,
      suspended: org.suspended,
      relationships: { quota: { data: { guid: org.quotaGuid } } },
      metadata: { labels: org.labels, annotations: org.annotations },
      links: {
        self: { href: self },
        domains: { href: `${self}/domains` },
        default_domain: { href: `${self}/domains/default` },
        quota: { href: this.url.to(`/v3/organization_quotas/${org.quotaGuid}`) },
      },
    };
  }
}
