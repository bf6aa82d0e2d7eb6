import { Injectable } from '@nestjs/common';
import { AppConvergeTrigger, AppsQueryService, ProcessesQueryService } from '@wharf/apps';
import { AuditActor, AuditEventRecordAction, SYSTEM_ACTOR } from '@wharf/events';
import { requireDeveloper, Visibility } from '@wharf/access';
import { notFound } from '@wharf/platform/errors';
import { InstanceRepository } from './instance.repository';

/**
 * DELETE /v3/apps/:guid/processes/:type/instances/:index: that instance is stopped and replaced by
 * a new one (new instance guid); not a crash, so no backoff and no app.crash event.
 */
@Injectable()
export class InstanceRestartAction {
  constructor(
    private readonly processes: ProcessesQueryService,
    private readonly instances: InstanceRepository,
    private readonly converge: AppConvergeTrigger,
    private readonly apps: AppsQueryService,
    private readonly events: AuditEventRecordAction,
  ) {}

  async execute(input: {
    scope: Visibility;
    appGuid: string;
    type: string;
    index: number;
    actor?: AuditActor;
  }): Promise<void> {
    const app = await this.apps.getApp(input.scope, input.appGuid);
    requireDeveloper(input.scope, app.spaceGuid);
    const process = await this.processes.getByType(input.scope, input.appGuid, input.type);
    // The instance of the app's version at that index (while a version rolls out, the old one
    // at the index is retired by the rollout itself).
    const slot = app.version
      ? await this.instances.findBySlot(process.guid, app.version, input.index)
      : null;
    if (!slot || input.index >= process.instances) throw notFound('Instance');
    await this.instances.markStopping(slot.guid);
    await this.events.execute({
      type: 'audit.app.process.terminate_instance',
      actor: input.actor ?? SYSTEM_ACTOR,
      target: { guid: app.guid, type: 'app', name: app.name },
      data: { process_type: process.type, process_index: input.index, process_guid: process.guid },
      spaceGuid: app.spaceGuid,
    });
    await this.converge.now(input.appGuid);
  }
}
