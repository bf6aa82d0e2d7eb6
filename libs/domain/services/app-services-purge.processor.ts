import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { JobPayloads } from '@wharf/contracts';
import { AppsQueryService } from '@wharf/apps';
import { PLATFORM_VISIBILITY } from '@wharf/identity';
import { isUuid } from '@wharf/platform/db';
import { JobHandler, JobProcessor } from '@wharf/platform/queue';
import { ServiceInstanceRepository } from './service-instance.repository';

/** A deleted app's bindings are deleted (the instances stay). */
@Injectable()
@JobHandler('app.services_purge')
export class AppServicesPurgeProcessor implements JobProcessor<'app.services_purge'> {
  constructor(
    private readonly apps: AppsQueryService,
    private readonly repo: ServiceInstanceRepository,
  ) {}

  async handle(payload: JobPayloads['app.services_purge']): Promise<void> {
    if (!isUuid(payload?.appGuid)) throw new UnrecoverableError('app.services_purge needs appGuid');
    if (await this.apps.findApp(PLATFORM_VISIBILITY, payload.appGuid)) return;
    await this.repo.deleteBindingsOfApp(payload.appGuid);
  }
}
