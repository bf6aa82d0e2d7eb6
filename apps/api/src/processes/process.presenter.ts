import { Injectable } from '@nestjs/common';
import type { ProcessEntity } from '@wharf/apps';
import type { ProcessResource } from '@wharf/contracts';
import { ApiUrl } from '../common/api-url';
import { iso } from '../common/list.presenter';

/** CF hides commands in lists (they may carry secrets); single reads show them. */
const HIDDEN = '[PRIVATE DATA HIDDEN IN LISTS]';

@Injectable()
export class ProcessPresenter {
  constructor(private readonly url: ApiUrl) {}

  /** `detectedCommand`: the current droplet's command for this type, shown when none is set. */
  present(
    p: ProcessEntity,
    options: { inList?: boolean; detectedCommand?: string | null } = {},
  ): ProcessResource {
    const command = p.command ?? options.detectedCommand ?? null;
    const self = this.url.to(`/v3/processes/${p.guid}`);
    return {
      guid: p.guid,
      type: p.type,
      command: options.inList && command !== null ? HIDDEN : command,
      instances: p.instances,
      memory_in_mb: p.memoryInMb,
      disk_in_mb: p.diskInMb,
      health_check: {
        type: p.healthCheckType,
        data: {
          timeout: p.healthCheckTimeout,
          invocation_timeout: p.healthCheckInvocationTimeout,
          interval: p.healthCheckInterval,
          ...(p.healthCheckType === 'http' ? { endpoint: p.healthCheckEndpoint } : {}),
        },
      },
      relationships: {
        app: { data: { guid: p.appGuid } },
        revision: { data: p.revisionGuid ? { guid: p.revisionGuid } : null },
      },
      metadata: { labels: {}, annotations: {} },
      created_at: iso(p.createdAt),
      updated_at: iso(p.updatedAt),
      links: {
        self: { href: self },
        scale: { href: `${self}/actions/scale`, method: 'POST' },
        app: { href: this.url.to(`/v3/apps/${p.appGuid}`) },
      },
    };
  }
}
