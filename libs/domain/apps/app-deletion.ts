import { Inject, Injectable } from '@nestjs/common';
import { JobBus, JobRecordRepository } from '@wharf/platform/queue';
import { AppConvergeTrigger } from './app-converge.trigger';
import { APP_PACKAGES, AppPackages } from './app-packages.port';
import { AppRepository } from './app.repository';
import { ProcessRepository } from './process.repository';
import { RevisionRepository } from './revision.repository';
import { DeploymentRepository } from './deployment.repository';
import { TaskRepository } from './task.repository';

/**
 * The work of an `app.delete` job: removes the app, its processes, revisions, deployments and packages,
 * converges it to no instances and hands its builds, routes and bindings to their contexts. Deleting what is already
 * gone is success: the job may run twice.
 */
@Injectable()
export class AppDeletion {
  constructor(
    private readonly apps: AppRepository,
    @Inject(APP_PACKAGES) private readonly packages: AppPackages,
    private readonly processes: ProcessRepository,
    private readonly jobs: JobRecordRepository,
    private readonly converge: AppConvergeTrigger,
    private readonly bus: JobBus,
    private readonly revisions: RevisionRepository,
    private readonly deployments: DeploymentRepository,
    private readonly tasks: TaskRepository,
  ) {}

  async run({ jobGuid, appGuid }: { jobGuid: string; appGuid: string }): Promise<void> {
    await this.packages.purge(appGuid);
    await this.processes.deleteForApp(appGuid);
    await this.revisions.deleteForApp(appGuid);
    await this.deployments.deleteForApp(appGuid);
    // A task still running loses its row: the scheduler's sweep removes its container.
    await this.tasks.deleteForApp(appGuid);
    await this.apps.delete(appGuid);
    // With the app gone its desired instances are none: the scheduler stops and removes them.
    await this.converge.now(appGuid);
    await this.bus.enqueue('app.staging_purge', { appGuid }, { key: appGuid });
    // Its routes stay (as in CF) but no longer lead to it; its service bindings go.
    await this.bus.enqueue('app.routing_purge', { appGuid }, { key: appGuid });
    await this.bus.enqueue('app.services_purge', { appGuid }, { key: appGuid });
    await this.jobs.complete(jobGuid);
  }
}
