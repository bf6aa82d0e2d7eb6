import { Injectable } from '@nestjs/common';
import { AppConvergeTrigger, ProcessesQueryService } from '@wharf/apps';
import { Visibility } from '@wharf/identity';
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
  ) {}

  async execute(input: {
    scope: Visibility;
    appGuid: string;
    type: string;
    index: number;
  }): Promise<void> {
    const process = await this.processes.getByType(input.scope, input.appGuid, input.type);
    const slot = await this.instances.findBySlot(process.guid, input.index);
    if (!slot || input.index >= process.instances) throw notFound('Instance');
    await this.instances.markStopping(slot.guid);
    await this.converge.now(input.appGuid);
  }
}
