import { Injectable } from '@nestjs/common';
import type { DropletResource } from '@wharf/contracts';
import type { DropletEntity } from '@wharf/staging';
import { ApiUrl } from '../common/api-url';
import { iso } from '../common/list.presenter';

@Injectable()
export class DropletPresenter {
  constructor(private readonly url: ApiUrl) {}

  present(d: DropletEntity): DropletResource {
    return {
      guid: d.guid,
      state: d.state,
      error: null,
      lifecycle: { type: 'buildpack', data: {} },
      execution_metadata: '',
      process_types: d.processTypes,
      checksum: { type: 'sha256', value: d.checksumSha256 },
      buildpacks: d.buildpacks,
      stack: d.stack,
      image: d.image,
      relationships: { app: { data: { guid: d.appGuid } } },
      metadata: { labels: d.labels, annotations: d.annotations },
      created_at: iso(d.createdAt),
      updated_at: iso(d.updatedAt),
      links: {
        self: { href: this.url.to(`/v3/droplets/${d.guid}`) },
        package: { href: this.url.to(`/v3/packages/${d.packageGuid}`) },
        app: { href: this.url.to(`/v3/apps/${d.appGuid}`) },
        assign_current_droplet: {
          href: this.url.to(`/v3/apps/${d.appGuid}/relationships/current_droplet`),
          method: 'PATCH',
        },
      },
    };
  }
}
