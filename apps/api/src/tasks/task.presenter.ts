import { Injectable } from '@nestjs/common';
import type { TaskEntity } from '@wharf/apps';
import type { TaskResource } from '@wharf/contracts';
import { ApiUrl } from '../common/api-url';
import { iso } from '../common/list.presenter';

/**
 * CF's task JSON. The command is shown only where `withCommand` (a space developer reading one
 * task): lists never carry it, as in CF, since commands may hold secrets.
 */
@Injectable()
export class TaskPresenter {
  constructor(private readonly url: ApiUrl) {}

  present(t: TaskEntity, withCommand: boolean): TaskResource {
    const self = this.url.to(`/v3/tasks/${t.guid}`);
    return {
      guid: t.guid,
      sequence_id: t.sequenceId,
      name: t.name,
      ...(withCommand ? { command: t.command } : {}),
      state: t.state,
      memory_in_mb: t.memoryInMb,
      disk_in_mb: t.diskInMb,
      log_rate_limit_in_bytes_per_second: t.logRateLimitInBytesPerSecond,
      result: { failure_reason: t.failureReason },
      droplet_guid: t.dropletGuid,
      relationships: { app: { data: { guid: t.appGuid } } },
      metadata: { labels: t.labels, annotations: t.annotations },
      created_at: iso(t.createdAt),
      updated_at: iso(t.updatedAt),
      links: {
        self: { href: self },
        app: { href: this.url.to(`/v3/apps/${t.appGuid}`) },
        cancel: { href: `${self}/actions/cancel`, method: 'POST' },
        droplet: { href: this.url.to(`/v3/droplets/${t.dropletGuid}`) },
      },
    };
  }
}
