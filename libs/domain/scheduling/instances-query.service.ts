import { Injectable } from '@nestjs/common';
import { CellsQueryService } from '@wharf/cells';
import { cellHostIp } from './instance-lifecycle';
import { InstanceRepository } from './instance.repository';

export interface RoutableInstance {
  appGuid: string;
  processType: string;
  index: number;
  instanceGuid: string;
  /** Where the router reaches it: the cell's address and the published port. */
  host: string;
  port: number;
  /** Where other app instances reach it on the apps network (port 8080); null if unknown. */
  internalIp: string | null;
}

/**
 * The ChangeSignals topic told when instances become RUNNING: the router adds them at once
 * instead of at its next poll, so a push that saw its instance RUNNING finds its route serving.
 */
export const ROUTABLE_INSTANCES_TOPIC = 'routable-instances';

/** Instances that are RUNNING (healthy): the only ones that get traffic. */
@Injectable()
export class InstancesQueryService {
  constructor(
    private readonly instances: InstanceRepository,
    private readonly cells: CellsQueryService,
  ) {}

  async routable(): Promise<RoutableInstance[]> {
    const rows = await this.instances.listInStatesUnscoped(['RUNNING']);
    const cells = new Map((await this.cells.all()).map((c) => [c.guid, c]));
    const out: RoutableInstance[] = [];
    for (const r of rows) {
      const cell = cells.get(r.cellGuid);
      if (!cell || !r.hostPort) continue;
      out.push({
        appGuid: r.appGuid,
        processType: r.processType,
        index: r.index,
        instanceGuid: r.instanceGuid,
        host: cellHostIp(cell),
        port: r.hostPort,
        internalIp: r.containerIp,
      });
    }
    return out;
  }
}
