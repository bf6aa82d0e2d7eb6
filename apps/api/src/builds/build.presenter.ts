import { Injectable } from '@nestjs/common';
import type { BuildResource } from '@wharf/contracts';
import type { BuildEntity } from '@wharf/staging';
import { ApiUrl } from '../common/api-url';
import { iso } from '../common/list.presenter';

@Injectable()
export class BuildPresenter {
  constructor(private readonly url: ApiUrl) {}

  present(b: BuildEntity): BuildResource {
    return {
      guid: b.guid,
      state: b.state,
      error: b.error,
      staging_memory_in_mb: b.stagingMemoryInMb,
      staging_disk_in_mb: b.stagingDiskInMb,
      lifecycle: { type: 'buildpack', data: { buildpacks: b.buildpacks, stack: b.stack } },
      package: { guid: b.packageGuid },
      droplet: b.dropletGuid ? { guid: b.dropletGuid } : null,
      created_by: { guid: b.createdByGuid ?? '', name: b.createdByName, email: '' },
      relationships: { app: { data: { guid: b.appGuid } } },
      metadata: { labels: b.labels, annotations: b.annotations },
      created_at: iso(b.createdAt),
      updated_at: iso(b.updatedAt),
      links: {
        self: { href: this.url.to(`/v3/builds/${b.guid}`) },
        app: { href: this.url.to(`/v3/apps/${b.appGuid}`) },
        ...(b.dropletGuid
          ? { droplet: { href: this.url.to(`/v3/droplets/${b.dropletGuid}`) } }
          : {}),
      },
    };
  }
}
