import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { JobResource } from '@wharf/contracts';
import type { Principal } from '@wharf/access';
import { notFound } from '@wharf/platform/errors';
import { JobRecordRepository } from '@wharf/platform/queue';
import { ApiUrl } from '../common/api-url';
import { GuidPipe } from '../common/guid.pipe';
import { iso } from '../common/list.presenter';
import { CurrentPrincipal } from '../common/principal.decorator';

@ApiTags('jobs')
@ApiBearerAuth()
@Controller('v3/jobs')
export class JobsController {
  constructor(
    private readonly jobs: JobRecordRepository,
    private readonly url: ApiUrl,
  ) {}

  @Get(':guid')
  @ApiOperation({ summary: 'Get an asynchronous job (PROCESSING, POLLING, COMPLETE, FAILED)' })
  async get(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Job')) guid: string,
  ): Promise<JobResource> {
    const job = p.admin
      ? await this.jobs.findByGuidUnscoped(guid)
      : await this.jobs.findForUser(guid, p.userGuid);
    if (!job) throw notFound('Job');
    const plural = `${job.resourceType}s`.replace(/ys$/, 'ies');
    return {
      guid: job.guid,
      created_at: iso(job.createdAt),
      updated_at: iso(job.updatedAt),
      operation: job.operation,
      state: job.state,
      errors: job.errors,
      warnings: job.warnings,
      links: {
        self: { href: this.url.to(`/v3/jobs/${job.guid}`) },
        [job.resourceType]: { href: this.url.to(`/v3/${plural}/${job.resourceGuid}`) },
      },
    };
  }
}
