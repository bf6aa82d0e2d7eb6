import { Inject, Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { JobPayloads } from '@wharf/contracts';
import { isUuid } from '@wharf/platform/db';
import { JobBus, JobHandler, JobProcessor, JobRecordRepository } from '@wharf/platform/queue';
import { AppConvergeTrigger } from './app-converge.trigger';
import { APP_PACKAGES, AppPackages } from './app-packages.port';
import { AppRepository } from './app.repository';
import { ProcessRepository } from './process.repository';

@Injectable()
@JobHandler('app.delete')
export class AppDeleteProcessor implements JobProcessor<'app.delete'> {
  constructor(
    private readonly apps: AppRepository,
    @Inject(APP_PACKAGES) private readonly packages: AppPackages,
    private readonly processes: ProcessRepository,
    private readonly jobs: JobRecordRepository,
    private readonly converge: AppConvergeTrigger,
    private readonly bus: JobBus,
  ) {}

  async handle(payload: JobPayloads['app.delete']): Promise<void> {
    if (!isUuid(payload?.jobGuid) || !isUuid(payload?.appGuid)) {
      throw new UnrecoverableError('app.delete: payload needs jobGuid and appGuid');
    }
    // Deleting what is already gone is success: the job may run twice.
    await this.packages.purge(payload.appGuid);
    await this.processes.deleteForApp(payload.appGuid);
    await this.apps.delete(payload.appGuid);
    // With the app gone its desired instances are none: the scheduler stops and removes them.
    await this.converge.now(payload.appGuid);
    await this.bus.enqueue(
      'app.staging_purge',
      { appGuid: payload.appGuid },
      { key: payload.appGuid },
    );
    // Its routes stay (as in CF) but no longer lead to it; its service bindings go.
    await this.bus.enqueue(
      'app.routing_purge',
      { appGuid: payload.appGuid },
      { key: payload.appGuid },
    );
    await this.bus.enqueue(
      'app.services_purge',
      { appGuid: payload.appGuid },
      { key: payload.appGuid },
    );
    await this.jobs.complete(payload.jobGuid);
  }
}
