import { Injectable } from '@nestjs/common';
import type { PackageEntity } from '@wharf/packages';
import type { PackageResource } from '@wharf/contracts';
import { ApiUrl } from '../common/api-url';
import { iso } from '../common/list.presenter';

@Injectable()
export class PackagePresenter {
  constructor(private readonly url: ApiUrl) {}

  present(pkg: PackageEntity): PackageResource {
    const self = this.url.to(`/v3/packages/${pkg.guid}`);
    return {
      guid: pkg.guid,
      type: pkg.type,
      data: { checksum: { type: 'sha256', value: pkg.checksumSha256 }, error: pkg.error },
      state: pkg.state,
      created_at: iso(pkg.createdAt),
      updated_at: iso(pkg.updatedAt),
      relationships: { app: { data: { guid: pkg.appGuid } } },
      metadata: { labels: {}, annotations: {} },
      links: {
        self: { href: self },
        upload: { href: `${self}/upload`, method: 'POST' },
        download: { href: `${self}/download` },
        app: { href: this.url.to(`/v3/apps/${pkg.appGuid}`) },
      },
    };
  }
}
