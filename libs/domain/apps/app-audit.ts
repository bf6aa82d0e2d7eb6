import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditActor, AuditEventRecordAction, SYSTEM_ACTOR } from '@wharf/events';

/** An `audit.app.*` event about an app, in its space; with `manager`, in that transaction. */
@Injectable()
export class AppAudit {
  constructor(private readonly events: AuditEventRecordAction) {}

  async record(
    app: { guid: string; name: string; spaceGuid: string },
    type: string,
    actor: AuditActor | undefined,
    data: Record<string, unknown> = {},
    manager?: EntityManager,
  ): Promise<void> {
    await this.events.execute(
      {
        type,
        actor: actor ?? SYSTEM_ACTOR,
        target: { guid: app.guid, type: 'app', name: app.name },
        data,
        spaceGuid: app.spaceGuid,
      },
      manager,
    );
  }
}
