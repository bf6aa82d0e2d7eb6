import { Injectable } from '@nestjs/common';
import type { RevisionEntity, RevisionView } from '@wharf/apps';
import type { RevisionEnvironmentVariablesResource, RevisionResource } from '@wharf/contracts';
import { ApiUrl } from '../common/api-url';
import { iso } from '../common/list.presenter';

@Injectable()
export class RevisionPresenter {
  constructor(private readonly url: ApiUrl) {}

  present({ revision: r, deployable }: RevisionView): RevisionResource {
    const self = this.url.to(`/v3/revisions/${r.guid}`);
    return {
      guid: r.guid,
      version: r.version,
      droplet: { guid: r.dropletGuid },
      processes: Object.fromEntries(
        Object.entries(r.commands).map(([type, command]) => [type, { command }]),
      ),
      sidecars: [],
      description: r.description,
      deployable,
      relationships: { app: { data: { guid: r.appGuid } } },
      metadata: { labels: r.labels, annotations: r.annotations },
      created_at: iso(r.createdAt),
      updated_at: iso(r.updatedAt),
      links: {
        self: { href: self },
        app: { href: this.url.to(`/v3/apps/${r.appGuid}`) },
        environment_variables: { href: `${self}/environment_variables` },
      },
    };
  }

  presentVariables(r: RevisionEntity): RevisionEnvironmentVariablesResource {
    return {
      var: r.environmentVariables,
      links: {
        self: { href: this.url.to(`/v3/revisions/${r.guid}/environment_variables`) },
        revision: { href: this.url.to(`/v3/revisions/${r.guid}`) },
        app: { href: this.url.to(`/v3/apps/${r.appGuid}`) },
      },
    };
  }
}
