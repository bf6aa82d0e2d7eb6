import { Injectable } from '@nestjs/common';
import type { AppEntity } from '@wharf/apps';
import type { AppResource } from '@wharf/contracts';
import { ApiUrl } from '../common/api-url';
import { iso } from '../common/list.presenter';

@Injectable()
export class AppPresenter {
  constructor(private readonly url: ApiUrl) {}

  present(app: AppEntity): AppResource {
    const self = this.url.to(`/v3/apps/${app.guid}`);
    return {
      guid: app.guid,
      name: app.name,
      state: app.state,
      created_at: iso(app.createdAt),
      updated_at: iso(app.updatedAt),
      lifecycle:
        app.lifecycleType === 'buildpack'
          ? { type: 'buildpack', data: { buildpacks: app.buildpacks, stack: app.stack } }
          : { type: 'docker', data: {} },
      relationships: { space: { data: { guid: app.spaceGuid } } },
      metadata: { labels: app.labels, annotations: app.annotations },
      links: {
        self: { href: self },
        space: { href: this.url.to(`/v3/spaces/${app.spaceGuid}`) },
        environment_variables: { href: `${self}/environment_variables` },
        revisions: { href: `${self}/revisions` },
        deployed_revisions: { href: `${self}/revisions/deployed` },
        features: { href: `${self}/features` },
      },
    };
  }

  presentVariables(app: { guid: string }, vars: Record<string, string>) {
    return {
      var: vars,
      links: {
        self: { href: this.url.to(`/v3/apps/${app.guid}/environment_variables`) },
        app: { href: this.url.to(`/v3/apps/${app.guid}`) },
      },
    };
  }
}
