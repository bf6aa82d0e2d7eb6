import { Injectable } from '@nestjs/common';
import type { DeploymentEntity } from '@wharf/apps';
import type { DeploymentResource } from '@wharf/contracts';
import { ApiUrl } from '../common/api-url';
import { iso } from '../common/list.presenter';

/** CF's deployment JSON; `new_processes` are the app's processes, which keep their guids here. */
@Injectable()
export class DeploymentPresenter {
  constructor(private readonly url: ApiUrl) {}

  present(
    d: DeploymentEntity,
    processes: { guid: string; type: string }[],
    revisionsEnabled: boolean,
  ): DeploymentResource {
    const self = this.url.to(`/v3/deployments/${d.guid}`);
    const active = d.statusValue === 'ACTIVE';
    const cancelable = active && (d.statusReason === 'DEPLOYING' || d.statusReason === 'PAUSED');
    return {
      guid: d.guid,
      status: {
        value: d.statusValue,
        reason: d.statusReason,
        details: {
          last_successful_healthcheck: d.lastHealthyAt ? iso(d.lastHealthyAt) : null,
          last_status_change: iso(d.statusUpdatedAt),
          ...(d.error ? { error: d.error } : {}),
        },
        ...(d.strategy === 'canary' ? { canary: { steps: { current: 1, total: 1 } } } : {}),
      },
      strategy: d.strategy,
      options: { max_in_flight: d.maxInFlight },
      droplet: { guid: d.dropletGuid },
      previous_droplet: { guid: d.previousDropletGuid },
      new_processes: processes.map((p) => ({ guid: p.guid, type: p.type })),
      revision:
        revisionsEnabled && d.revisionGuid && d.revisionVersion !== null
          ? { guid: d.revisionGuid, version: d.revisionVersion }
          : null,
      relationships: { app: { data: { guid: d.appGuid } } },
      metadata: { labels: d.labels, annotations: d.annotations },
      created_at: iso(d.createdAt),
      updated_at: iso(d.updatedAt),
      links: {
        self: { href: self },
        app: { href: this.url.to(`/v3/apps/${d.appGuid}`) },
        ...(cancelable ? { cancel: { href: `${self}/actions/cancel`, method: 'POST' } } : {}),
        ...(active && d.statusReason === 'PAUSED'
          ? { continue: { href: `${self}/actions/continue`, method: 'POST' } }
          : {}),
      },
    };
  }
}
