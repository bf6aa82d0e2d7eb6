import { Injectable } from '@nestjs/common';
import { AuditActor, AuditEventRecordAction, SYSTEM_ACTOR } from '@wharf/events';

/** An `audit.app.*` event about an app, in its space. */
@Injectable()
export class AppAudit {
  constructor(private readonly events: AuditEventRecordAction) {}

  async record(
    app: { guid: string; name: string; spaceGuid: string },
    type: string,
    actor: AuditActor | undefined,
    data: Record<string, unknown> = {},
  ): Promise<void> {
    await this.events.execute({
      type,
      actor: actor ?? SYSTEM_ACTOR,
      target: { guid: app.guid, type: 'app', name: app.name },
      data,
      spaceGuid: app.spaceGuid,
    });
  }
}
