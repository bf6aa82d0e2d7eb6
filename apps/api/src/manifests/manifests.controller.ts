import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AppsErrorCode, appsError, ManifestApplyAction, parseManifest } from '@wharf/apps';
import { Principal, visibilityOf } from '@wharf/access';
import { JobRecordRepository } from '@wharf/platform/queue';
import { actorOf } from '../common/actor';
import { ApiUrl } from '../common/api-url';
import { GuidPipe } from '../common/guid.pipe';
import { CurrentPrincipal } from '../common/principal.decorator';

@ApiTags('manifests')
@ApiBearerAuth()
@Controller('v3/spaces')
export class ManifestsController {
  constructor(
    private readonly apply: ManifestApplyAction,
    private readonly jobs: JobRecordRepository,
    private readonly url: ApiUrl,
  ) {}

  /**
   * CF answers 202 with a job. Applying a manifest only writes desired state, so it is done
   * before answering and the job is already COMPLETE (errors come back at once as 422, with
   * the field and line of a malformed manifest); clients that poll the job work unchanged.
   */
  @Post(':guid/actions/apply_manifest')
  @HttpCode(202)
  @ApiOperation({ summary: 'Apply a manifest.yml (Content-Type: application/x-yaml) to a space' })
  @ApiBody({ schema: { type: 'string' }, description: 'manifest.yml' })
  async applyManifest(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Space')) spaceGuid: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    if (typeof body !== 'string' || body.trim() === '') {
      throw appsError(
        AppsErrorCode.InvalidManifest,
        'Send the manifest as YAML with Content-Type: application/x-yaml.',
      );
    }
    const manifest = parseManifest(body);
    await this.apply.execute({ scope: visibilityOf(p), spaceGuid, manifest, actor: actorOf(p) });
    const job = await this.jobs.recordCompleted({
      operation: 'app.apply_manifest',
      resourceType: 'space',
      resourceGuid: spaceGuid,
      userGuid: p.userGuid,
    });
    res.setHeader('Location', this.url.to(`/v3/jobs/${job.guid}`));
  }
}
