import { Injectable } from '@nestjs/common';
import { AppRepository } from './app.repository';
import { DeploymentRepository } from './deployment.repository';
import { ProcessRepository } from './process.repository';
import { RevisionRepository } from './revision.repository';

/**
 * The droplets an app may start instances of at any moment: its current one, those its
 * processes' revisions recorded, and an ACTIVE deployment's new and previous ones (a cancel goes
 * back to it). Staging never expires these.
 */
@Injectable()
export class AppDropletsInUse {
  constructor(
    private readonly apps: AppRepository,
    private readonly processes: ProcessRepository,
    private readonly revisions: RevisionRepository,
    private readonly deployments: DeploymentRepository,
  ) {}

  async of(appGuid: string): Promise<Set<string>> {
    const used = new Set<string>();
    const add = (guid: string | null | undefined) => guid && used.add(guid);
    add((await this.apps.findByGuidUnscoped(appGuid))?.currentDropletGuid);
    for (const process of await this.processes.listForApp(appGuid)) {
      if (process.revisionGuid)
        add((await this.revisions.findByGuidUnscoped(process.revisionGuid))?.dropletGuid);
    }
    const active = await this.deployments.findActive(appGuid);
    add(active?.dropletGuid);
    add(active?.previousDropletGuid);
    return used;
  }
}
