import { Injectable } from '@nestjs/common';
import { CellsQueryService } from '@wharf/cells';
import { cellHostIp } from './instance-lifecycle';
import { isRoutable } from './instance.entity';
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
 * The ChangeSignals topic of the instances the router serves, with numbered changes: the health
 * monitor records one when instances turn healthy, and turns them RUNNING only once the router
 * (its sync, holding the router lease) has acknowledged a number at least that high, i.e. has
 * loaded a configuration that includes them. A push that sees its instances RUNNING finds its
 * route serving them, even across a worker's death between the two.
 */
export const ROUTABLE_INSTANCES_TOPIC = 'routable-instances';

/** Instances that passed their health check and still run: the only ones that get traffic. */
@Injectable()
export class InstancesQueryService {
  constructor(
    private readonly instances: InstanceRepository,
    private readonly cells: CellsQueryService,
  ) {}

  async routable(): Promise<RoutableInstance[]> {
    const rows = (await this.instances.listInStatesUnscoped(['STARTING', 'RUNNING'])).filter(
      isRoutable,
    );
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
